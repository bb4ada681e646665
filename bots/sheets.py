"""Shared spreadsheet reading: cached workbook snapshots, header matching, typed cell values.

A workbook is loaded once per (path, modification time, size) and kept as an immutable
snapshot of plain values, so that many threads of a batch can look rows up in it at once.
Workbooks are streamed in openpyxl's read-only mode (bots/sheet_stream.py); a register
looked up by key is not snapshotted at all but indexed in one pass (bots/sheet_index.py).
Cells are read with ``data_only=True`` (the results Excel saved for formulas); the formulas
themselves are loaded only when a wanted cell turns out empty, to tell "blank" from
"formula never computed". A cell merged over several rows gives its value to every row it
spans (as a person reads it), so a PO number merged over an order's lines names each line.

This module loads; the snapshot and its tables live in bots/sheet_tables.py and the cell
conversions in bots/sheet_values.py. Every name of both is re-exported here, so callers
import from ``bots.sheets`` alone.
"""

from __future__ import annotations

import threading

from bots.sheet_stream import ENCRYPTED_PACKAGE, OLE2_MAGIC, read_only_book, sheet_rows
from bots.sheet_tables import (
    HEADER_SEARCH_ROWS,
    Book,
    SheetGrid,
    Table,
    find_table,
)
from bots.sheet_values import (
    as_amount,
    as_int,
    as_iso_date,
    as_plain,
    as_text,
    cell_name,
    did_you_mean,
    file_version,
    header_key,
    is_formula,
    sheet_invalid,
    single_spaced,
    typed,
)

__all__ = [
    "ENCRYPTED_PACKAGE", "HEADER_SEARCH_ROWS", "OLE2_MAGIC", "Book", "SheetGrid", "Table",
    "as_amount", "as_int", "as_iso_date", "as_plain", "as_text", "cell_name", "did_you_mean",
    "find_table", "header_key", "is_formula", "load_book", "sheet_invalid",
    "single_spaced", "typed",
]

_BOOKS: dict[tuple[str, bool], tuple[list[int], Book]] = {}
_BOOKS_LOCK = threading.Lock()


def load_book(path: str, *, formulas: bool = False) -> Book:
    """The workbook at `path`, loaded once per version of the file (thread-safe)."""
    resolved, *stamp = file_version(path)
    cache_key = (resolved, formulas)
    # One lock for loading too: a batch's threads wait for the first load instead of each
    # parsing the same register again.
    with _BOOKS_LOCK:
        cached = _BOOKS.get(cache_key)
        if cached and cached[0] == stamp:
            return cached[1]
        book = _read_book(path, formulas)
        _BOOKS[cache_key] = (stamp, book)
        return book


def _read_book(path: str, formulas: bool) -> Book:
    with read_only_book(path, formulas=formulas) as workbook:  # streamed: no Cell objects
        sheets = {ws.title: SheetGrid(ws.title, tuple(sheet_rows(path, ws)))
                  for ws in workbook.worksheets}
        epoch = workbook.epoch
    if not sheets:
        raise sheet_invalid(f"{path} has no worksheets", file=path)
    return Book(path, sheets, epoch)
