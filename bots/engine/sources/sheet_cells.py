"""Reading a source sheet's cells: which rows hold data, and each cell typed for its field."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bots.kernel.errors import BotError
from bots.recipe.model import SheetSource
from bots.sheets import Book, Table, cell_name, is_formula, load_book, single_spaced, typed


@dataclass
class Group:
    """The rows of one item, in sheet order, and what was wrong with them."""

    value: str
    rows: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def data_rows(table: Table, columns: dict[str, int],
              source: SheetSource) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, raw value per field) of every row below the header that holds data."""
    skip = {name: re.compile(pattern, re.IGNORECASE)
            for name, pattern in source.sheet.skip.items()}
    for row in range(table.header_row + 1, len(table.grid.rows) + 1):
        values = {name: table.grid.value(row, column) for name, column in columns.items()}
        if all(cell_text(value) == "" for value in values.values()):
            continue  # the used range runs on below the data (styles, empty strings)
        if any(pattern.search(cell_text(values[name])) for name, pattern in skip.items()):
            continue
        yield row, values


def cell_text(value: Any) -> str:
    """A cell as the text a person sees, single-spaced; an empty cell is ''."""
    return "" if value is None else single_spaced(value)


def cell(book: Book, table: Table, row: int, column: int, kind: str | None,
         group: Group) -> Any:
    """A cell typed as the recipe says (untyped: the text a person sees, so a phone stored as
    the number 5551234567.0 is '5551234567'); empty is None, a bad value a group problem."""
    raw = table.grid.value(row, column)
    if raw is None and _uncomputed_formula(book, table, row, column, group):
        return None
    if cell_text(raw) == "":
        return None
    try:
        return typed(kind or "text", raw, book.epoch)
    except (ValueError, BotError) as error:
        group.problems.append(f"cell {cell_name(row, column)} of sheet '{table.grid.name}': "
                              f"{raw!r} is not a valid {kind} ({error})")
        return None


def _uncomputed_formula(book: Book, table: Table, row: int, column: int, group: Group) -> bool:
    """Whether an empty cell is a formula never computed (noted as the group's problem)."""
    formula = load_book(book.path, formulas=True).sheet(table.grid.name).value(row, column)
    if not is_formula(formula):
        return False
    group.problems.append(f"cell {cell_name(row, column)} of sheet '{table.grid.name}' holds the "
                          f"formula {formula} with no saved result; open and save the file in "
                          "Excel to compute it")
    return True
