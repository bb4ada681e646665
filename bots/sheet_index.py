"""A register's key -> row index, built in one streaming pass and kept for the whole run.

A lookup step runs once per item, and a batch looks up many items in the same register: the
register is read once per version of the file (path, modification time, size), in openpyxl's
read-only mode, keeping for each key only its row number and the cells the step returns. A
register of a million rows is held as that index, not as a workbook: no Cell objects, no
columns nobody asked for. A few indexes are kept (the latest used); threads of a batch that
need one being built wait for it instead of reading the file again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bots.sheet_stream import read_only_book, sheet_rows
from bots.sheet_tables import HEADER_SEARCH_ROWS, Book, SheetGrid, Table, find_table
from bots.sheet_values import file_version, is_formula, sheet_invalid

KEPT_INDEXES = 4  # registers a run looks up at once; older indexes are dropped
Normalize = Callable[[Any], str]


@dataclass(frozen=True)
class IndexRequest:
    """What a lookup needs indexed: where, by which column and format, which columns back."""

    path: str
    sheet: str | None
    header_row: int | None
    key_column: str
    key_format: str
    columns: tuple[str, ...]  # header texts of the columns to keep


@dataclass
class RegisterIndex:
    """One register's rows by key: (row number, kept cells); first row of a key wins."""

    table: Table  # the header (its grid holds only the rows above the data)
    columns: tuple[int, ...]  # sheet columns of the kept cells, in request order
    rows: dict[str, tuple[int, tuple[Any, ...]]]
    blank_rows: set[int]  # rows with an empty kept cell (maybe a formula never computed)
    formulas: dict[tuple[int, int], str] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def find(self, key: str) -> tuple[int, tuple[Any, ...]] | None:
        return self.rows.get(key)

    def formula_at(self, row: int, column: int) -> str | None:
        """The formula of an empty kept cell, read from the file once, when first asked."""
        with self.lock:
            if self.formulas is None:
                self.formulas = _blank_formulas(self)
        return self.formulas.get((row, column))


_INDEXES: OrderedDict[tuple[Any, ...], RegisterIndex] = OrderedDict()
_INDEXES_LOCK = threading.Lock()
_BUILDS = [0]


def register_index(request: IndexRequest, normalize: Normalize) -> RegisterIndex:
    """The index of the register as the file is now, built on first use (thread-safe)."""
    cache_key = (file_version(request.path), request)
    with _INDEXES_LOCK:  # one build at a time: waiting threads then find it here
        found = _INDEXES.get(cache_key)
        if found is None:
            found = build_index(request, normalize)
            _BUILDS[0] += 1
            _INDEXES[cache_key] = found
            while len(_INDEXES) > KEPT_INDEXES:
                _INDEXES.popitem(last=False)
        _INDEXES.move_to_end(cache_key)
        return found


def index_builds() -> int:
    """How many indexes this process has built (a register read once shows as one)."""
    return _BUILDS[0]


def build_index(request: IndexRequest, normalize: Normalize) -> RegisterIndex:
    """Read the register once: find the header, then index every data row below it."""
    with read_only_book(request.path) as workbook:
        worksheet = _worksheet(workbook, request)
        rows = sheet_rows(request.path, worksheet)
        table = _header(request, worksheet.title, rows, workbook.epoch)
        columns = tuple(table.column(header) for header in request.columns)
        index = RegisterIndex(table, columns, {}, set())
        _index_rows(index, rows, table.column(request.key_column), normalize)
    return index


def _worksheet(workbook: Any, request: IndexRequest) -> Any:
    """The requested sheet, or SHEET_INVALID listing the sheets there are."""
    names = list(workbook.sheetnames)
    if not names:
        raise sheet_invalid(f"{request.path} has no worksheets", file=request.path)
    if request.sheet is not None and request.sheet not in names:
        Book(request.path, {name: SheetGrid(name, ()) for name in names},
             workbook.epoch).sheet(request.sheet)  # raises with the sheets and did-you-mean
    return workbook[request.sheet or names[0]]


def _header(request: IndexRequest, name: str, rows: Iterator[tuple[Any, ...]],
            epoch: datetime) -> Table:
    """The table header, found in the first rows (taken from the stream) by its texts."""
    reach = max(HEADER_SEARCH_ROWS, request.header_row or 0)
    head: list[tuple[Any, ...]] = []
    for cells in rows:
        head.append(cells)
        if len(head) == reach:
            break
    grid = SheetGrid(name, tuple(head))
    return find_table(Book(request.path, {name: grid}, epoch), grid, request.key_column,
                      request.header_row)


def _index_rows(index: RegisterIndex, rows: Iterator[tuple[Any, ...]], key_column: int,
                normalize: Normalize) -> None:
    """Add every data row: those of the head below the header, then the rest of the stream."""
    head = index.table.grid.rows
    numbered = enumerate(head[index.table.header_row:], start=index.table.header_row + 1)
    for number, cells in numbered:
        _add_row(index, number, cells, key_column, normalize)
    for number, cells in enumerate(rows, start=len(head) + 1):
        _add_row(index, number, cells, key_column, normalize)


def _add_row(index: RegisterIndex, number: int, cells: tuple[Any, ...], key_column: int,
             normalize: Normalize) -> None:
    value = cells[key_column - 1] if key_column <= len(cells) else None
    key = normalize(value) if value is not None else ""
    if not key or key in index.rows:
        return
    kept = tuple(cells[column - 1] if column <= len(cells) else None
                 for column in index.columns)
    index.rows[key] = (number, kept)
    if any(cell is None for cell in kept):
        index.blank_rows.add(number)


def _blank_formulas(index: RegisterIndex) -> dict[tuple[int, int], str]:
    """The formulas behind the kept cells that came back empty (one more pass, formulas on)."""
    found: dict[tuple[int, int], str] = {}
    path, name = index.table.book.path, index.table.grid.name
    with read_only_book(path, formulas=True) as workbook:
        for number, cells in enumerate(workbook[name].iter_rows(values_only=True), start=1):
            if number not in index.blank_rows:
                continue
            for column in index.columns:
                value = cells[column - 1] if column <= len(cells) else None
                if is_formula(value):
                    found[(number, column)] = str(value)
    return found
