"""Shared spreadsheet reading: cached workbook snapshots, header matching, typed cell values.

A workbook is loaded once per (path, modification time, size) and kept as an immutable
snapshot of plain values, so that many threads of a batch can look rows up in it at once.
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
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from bots.kernel.errors import ApplicationError
from bots.sheet_tables import (
    HEADER_SEARCH_ROWS,
    Book,
    SheetGrid,
    Table,
    find_table,
    key_index,
)
from bots.sheet_values import (
    as_amount,
    as_int,
    as_iso_date,
    as_plain,
    as_text,
    cell_name,
    did_you_mean,
    header_key,
    is_formula,
    sheet_invalid,
    single_spaced,
    typed,
)

__all__ = [
    "ENCRYPTED_PACKAGE", "HEADER_SEARCH_ROWS", "OLE2_MAGIC", "Book", "SheetGrid", "Table",
    "as_amount", "as_int", "as_iso_date", "as_plain", "as_text", "cell_name", "did_you_mean",
    "find_table", "header_key", "is_formula", "key_index", "load_book", "sheet_invalid",
    "single_spaced", "typed",
]

_BOOKS: dict[tuple[str, bool], tuple[tuple[int, int], Book]] = {}
_BOOKS_LOCK = threading.Lock()


def load_book(path: str, *, formulas: bool = False) -> Book:
    """The workbook at `path`, loaded once per version of the file (thread-safe)."""
    stamp = _file_stamp(path)
    cache_key = (str(Path(path).resolve()), formulas)
    # One lock for loading too: a batch's threads wait for the first load instead of each
    # parsing the same register again.
    with _BOOKS_LOCK:
        cached = _BOOKS.get(cache_key)
        if cached and cached[0] == stamp:
            return cached[1]
        book = _read_book(path, formulas)
        _BOOKS[cache_key] = (stamp, book)
        return book


def _file_stamp(path: str) -> tuple[int, int]:
    file = Path(path)
    if not file.exists():
        raise sheet_invalid(f"spreadsheet {path} does not exist; check the path in the recipe",
                            file=path)
    if not file.is_file():
        raise sheet_invalid(f"{path} is a folder, not a spreadsheet file", file=path)
    status = file.stat()
    return status.st_mtime_ns, status.st_size


def _read_book(path: str, formulas: bool) -> Book:
    try:
        workbook = openpyxl.load_workbook(path, data_only=not formulas)
    except Exception as error:  # openpyxl fails on damaged files with many exception types
        raise _unreadable(path, error) from error
    sheets = {ws.title: SheetGrid(ws.title, _rows_with_merges(ws)) for ws in workbook.worksheets}
    epoch = workbook.epoch
    workbook.close()
    if not sheets:
        raise sheet_invalid(f"{path} has no worksheets", file=path)
    return Book(path, sheets, epoch)


def _rows_with_merges(worksheet: Any) -> tuple[tuple[Any, ...], ...]:
    """The sheet's values; a vertically merged cell's value repeated down the rows it spans."""
    rows = [list(cells) for cells in worksheet.iter_rows(values_only=True)]
    for merged in worksheet.merged_cells.ranges:
        column = merged.min_col - 1
        value = rows[merged.min_row - 1][column] if merged.min_row <= len(rows) else None
        for row in rows[merged.min_row:merged.max_row]:
            if column < len(row):
                row[column] = value
    return tuple(tuple(row) for row in rows)


OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def _unreadable(path: str, error: Exception) -> ApplicationError:
    head = Path(path).read_bytes()[:65536]
    if head.startswith(OLE2_MAGIC) and ENCRYPTED_PACKAGE in head:
        return sheet_invalid(f"{path} is a password-protected workbook; save a copy without "
                             "the password (Excel: File > Info > Protect Workbook) and point "
                             "the recipe at it", file=path)
    if head.startswith(OLE2_MAGIC):
        return sheet_invalid(f"{path} is an Excel 97-2003 (.xls) file, whatever its name says; "
                             "open it in Excel and save it as 'Excel Workbook (.xlsx)'",
                             file=path)
    reason = "not a zip-based .xlsx file" if isinstance(error, zipfile.BadZipFile) else str(error)
    return sheet_invalid(f"{path} cannot be read as an .xlsx workbook ({reason}); open it in "
                         "Excel and save it as 'Excel Workbook (.xlsx)'", file=path)
