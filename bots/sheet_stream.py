"""Read a workbook's rows as a stream: openpyxl's read-only mode, merged cells filled down.

openpyxl's default mode builds a Cell object per cell: a register of a million rows took
4.9 GB. Read-only mode parses the sheet's XML as it goes, so rows can be taken one by one and
dropped. It does not read merged ranges, so they are found here by scanning the sheet's XML
part for ``<mergeCell ref=...>`` (they sit after the data), in chunks, without parsing it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bots.kernel.errors import ApplicationError
from bots.sheet_values import sheet_invalid

MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+\d+:[A-Z]+\d+)\"")
SCAN_CHUNK = 1024 * 1024
SCAN_OVERLAP = 128  # longer than one <mergeCell ref="..."/> element
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

Spans = dict[tuple[int, int], int]  # (first row, column) -> last row of a vertical merge


@contextmanager
def read_only_book(path: str, *, formulas: bool = False) -> Iterator[Any]:
    """The workbook opened in read-only mode (cached values, or formulas), closed after use."""
    import openpyxl  # here, not at import: a run without a workbook never pays for it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=not formulas)
    except Exception as error:  # openpyxl fails on damaged files with many exception types
        raise unreadable(path, error) from error
    try:
        yield workbook
    finally:
        workbook.close()


def sheet_rows(path: str, worksheet: Any) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows from the first, a vertically merged cell's value repeated down."""
    spans = merged_spans(path, worksheet)
    carried: dict[int, tuple[int, Any]] = {}  # column -> (last row, value)
    for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if not spans:
            yield cells
            continue
        yield _filled(number, list(cells), spans, carried)


def _filled(number: int, cells: list[Any], spans: Spans,
            carried: dict[int, tuple[int, Any]]) -> tuple[Any, ...]:
    for column in range(1, len(cells) + 1):
        last = spans.get((number, column))
        if last is not None:
            carried[column] = (last, cells[column - 1])
        elif column in carried and number <= carried[column][0]:
            cells[column - 1] = carried[column][1]
    return tuple(cells)


def merged_spans(path: str, worksheet: Any) -> Spans:
    """Every vertical merge of the sheet: (first row, column) -> last row."""
    from openpyxl.utils.cell import range_boundaries

    part = getattr(worksheet, "_worksheet_path", None)
    spans: Spans = {}
    if not part:
        return spans
    for ref in _merge_refs(path, part):
        min_col, min_row, _max_col, max_row = range_boundaries(ref)
        if min_row is not None and max_row is not None and max_row > min_row:
            spans[(min_row, min_col or 1)] = max_row
    return spans


def _merge_refs(path: str, part: str) -> set[str]:
    """The ref of every <mergeCell> in the sheet's XML, read in chunks."""
    refs: set[str] = set()
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as xml:
        while chunk := xml.read(SCAN_CHUNK):
            window = tail + chunk
            refs.update(ref.decode() for ref in MERGE_CELL.findall(window))
            tail = window[-SCAN_OVERLAP:]
    return refs


def unreadable(path: str, error: Exception) -> ApplicationError:
    """SHEET_INVALID for a file openpyxl cannot open, saying what the file really is."""
    with Path(path).open("rb") as file:
        head = file.read(65536)
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
