"""Checks, before a run, that a workbook a recipe names has the sheet and columns it expects.

Only the header is read (streamed, the first rows of one sheet), so checking a register of a
million rows costs what checking a small one does. Each problem is the message the run itself
would give (the sheets or columns there are, did-you-mean), located at the recipe key that
named the missing thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from bots.kernel.errors import BotError
from bots.sheet_stream import read_only_book, sheet_rows
from bots.sheet_tables import HEADER_SEARCH_ROWS, Book, SheetGrid, Table, find_table

Loc = tuple[str | int, ...]
Finding = tuple[Loc, str, str]  # (where in the recipe, what is wrong, what to do)


@dataclass(frozen=True)
class SheetUse:
    """A workbook as a recipe names it: its file, sheet, header and the columns it reads."""

    path: Path
    sheet: str | None
    header_row: int | None
    anchor: tuple[Loc, str]  # the header that finds the header row, and where it is written
    columns: Mapping[Loc, str]  # where each header is written -> the header text
    path_loc: Loc
    sheet_loc: Loc


def sheet_findings(use: SheetUse) -> list[Finding]:
    """What does not exist: the file, the sheet, the header row or a column; [] when all do."""
    if not use.path.is_file():
        return [(use.path_loc, f"no workbook at {use.path}",
                 "check the path (relative paths start at the project folder)")]
    try:
        table = header_table(use)
    except _Missing as missing:
        return [(missing.loc, missing.message, "")]
    problems: list[Finding] = []
    for loc, header in use.columns.items():
        try:
            table.column(header)
        except BotError as error:
            problems.append((loc, error.message, ""))  # it lists the columns there are
    return problems


class _Missing(Exception):
    """A part of the workbook that is not there, and where the recipe names it."""

    def __init__(self, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.loc, self.message = loc, message


def header_table(use: SheetUse) -> Table:
    """The table whose header holds the anchor column, read from the head of the sheet."""
    path = str(use.path)
    try:
        with read_only_book(path) as workbook:
            worksheet = _worksheet(workbook, use)
            reach = max(HEADER_SEARCH_ROWS, use.header_row or 0)
            head = tuple(islice(sheet_rows(path, worksheet), reach))
            epoch = workbook.epoch
    except BotError as error:
        raise _Missing(use.path_loc, error.message) from None
    grid = SheetGrid(worksheet.title, head)
    try:
        return find_table(Book(path, {grid.name: grid}, epoch), grid, use.anchor[1],
                          use.header_row)
    except BotError as error:
        raise _Missing(use.anchor[0], error.message) from None


def _worksheet(workbook: Any, use: SheetUse) -> Any:
    """The sheet the recipe names (the first by default), or where it names a missing one."""
    names = list(workbook.sheetnames)
    if not names:
        raise _Missing(use.path_loc, f"{use.path} has no worksheets")
    if use.sheet is None:
        return workbook[names[0]]
    try:
        Book(str(use.path), {name: SheetGrid(name, ()) for name in names},
             workbook.epoch).sheet(use.sheet)
    except BotError as error:
        raise _Missing(use.sheet_loc, error.message) from None
    return workbook[use.sheet]
