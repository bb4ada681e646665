"""Loaded workbooks as plain values, and tables found in them by their header text.

A Book is an immutable snapshot (bots/sheets.py loads and caches it), so that many threads
of a batch can look rows up in it at once; a Table is the block of rows under one header row,
its columns named by the header cells (ignoring case and spaces).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bots.sheet_values import did_you_mean, header_key, quoted, sheet_invalid, single_spaced

HEADER_SEARCH_ROWS = 50  # headers sit near the top; below that we are reading data


@dataclass(frozen=True)
class SheetGrid:
    """One worksheet as rows of plain values (1-based access, blanks as None)."""

    name: str
    rows: tuple[tuple[Any, ...], ...]

    def value(self, row: int, column: int) -> Any:
        """The value at (row, column), None outside the used range."""
        if row > len(self.rows) or column > len(self.rows[row - 1]):
            return None
        return self.rows[row - 1][column - 1]


@dataclass(frozen=True)
class Book:
    """A loaded workbook: its file, sheets by name (in tab order) and date epoch."""

    path: str
    sheets: dict[str, SheetGrid]
    epoch: datetime

    def sheet(self, name: str | None) -> SheetGrid:
        """The named sheet (the first one when no name is given), or SHEET_INVALID."""
        if name is None:
            return next(iter(self.sheets.values()))
        if name in self.sheets:
            return self.sheets[name]
        hint = did_you_mean(name, list(self.sheets))
        raise sheet_invalid(f"sheet '{name}' does not exist in {self.path}; the sheets are "
                            f"{quoted(self.sheets)}{hint}", file=self.path, sheet=name)


@dataclass(frozen=True)
class Table:
    """A block of rows under a header row, with columns found by header text."""

    book: Book
    grid: SheetGrid
    header_row: int
    columns: dict[str, int]  # header_key(header) -> 1-based column
    headers: list[str]  # as written, in column order

    def column(self, header: str) -> int:
        """The column under `header` (ignoring case and spaces), or SHEET_INVALID."""
        found = self.columns.get(header_key(header))
        if found is None:
            raise sheet_invalid(
                f"column '{header}' does not exist in sheet '{self.grid.name}' of "
                f"{self.book.path} (header row {self.header_row}); the columns are "
                f"{quoted(self.headers)}{did_you_mean(header, self.headers)}",
                file=self.book.path, sheet=self.grid.name, column=header)
        return found

    def where(self) -> str:
        """Names the place for messages: "sheet 'Register' in fixtures/policies.xlsx"."""
        return f"sheet '{self.grid.name}' in {self.book.path}"


def find_table(book: Book, grid: SheetGrid, key_column: str, header_row: int | None) -> Table:
    """The table whose header row holds `key_column` (the given row, or the first such row)."""
    row = header_row or _header_row_of(book, grid, key_column)
    cells = grid.rows[row - 1] if row <= len(grid.rows) else ()
    columns = {header_key(v): i for i, v in enumerate(cells, 1) if header_key(v)}
    headers = [single_spaced(v) for v in cells if header_key(v)]
    table = Table(book, grid, row, columns, headers)
    table.column(key_column)
    return table


def _header_row_of(book: Book, grid: SheetGrid, key_column: str) -> int:
    wanted = header_key(key_column)
    for number, cells in enumerate(grid.rows[:HEADER_SEARCH_ROWS], 1):
        if any(header_key(v) == wanted for v in cells):
            return number
    seen = [single_spaced(v) for cells in grid.rows[:HEADER_SEARCH_ROWS] for v in cells
            if isinstance(v, str) and v.strip()]
    raise sheet_invalid(
        f"no header '{key_column}' in the first {HEADER_SEARCH_ROWS} rows of sheet "
        f"'{grid.name}' in {book.path}{did_you_mean(key_column, seen)}; set header_row if "
        "the header sits lower", file=book.path, sheet=grid.name, column=key_column)
