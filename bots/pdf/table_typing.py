"""A table's raw rows typed by its column types: values, a problem per bad cell, doubts.

A bad cell (it does not convert, or a required one is empty) reads as None and becomes a
FIELD_INVALID problem naming the row, its page and the column, so that the other cells and
rows are kept for the reviewer. A cell the type read with a doubt (an ambiguous date, a
guessed separator) is kept, its doubt named with its row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bots.pdf.problems import Problem
from bots.pdf.rules import FieldRule
from bots.pdf.table_cells import read_cell
from bots.pdf.table_rows import RawRow
from bots.pdf.table_rule import TableRule


@dataclass
class Typed:
    """Typed rows, the problems met and the doubts, each doubt naming its row and column."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)


def typed_rows(name: str, rule: FieldRule, raw: list[RawRow]) -> Typed:
    """Every row with its cells typed (a bad cell None)."""
    typed = Typed()
    for number, row in enumerate(raw, start=1):
        typed.rows.append(typed_row(name, rule, row, number, typed))
    return typed


def typed_row(name: str, rule: FieldRule, row: RawRow, number: int,
              typed: Typed) -> dict[str, Any]:
    """A row's cells normalized by the rule's column types; problems and doubts noted."""
    table = rule.table
    assert table is not None
    values: dict[str, Any] = {}
    for column in table.column_names:
        text = row.cells.get(column, "")
        kind = table.types.get(column, "text")
        try:
            values[column], doubts = read_cell(text, kind, rule)
            if values[column] is None and table.required(column):  # text may be empty
                raise ValueError(empty_cell(table, column))
        except ValueError as error:
            values[column] = None
            message = (f"table {name!r} row {number} on page {row.page} ({row.text!r}): "
                       f"column {column!r} reads {text!r}, which is not a valid {kind}: "
                       f"{error}. Correct the line by hand, or fix the layout's rule")
            typed.problems.append(problem(name, "FIELD_INVALID", message, page=row.page,
                                          row=number, column=column, text=text))
            continue
        typed.doubts += [f"row {number} {column}: {doubt}" for doubt in doubts]
    return values


def empty_cell(table: TableRule, column: str) -> str:
    """Why an empty cell is refused, and what to write if it may be empty."""
    if column == table.key_column:
        return f"a row needs a value in the key column {column!r}"
    return f"the cell is empty (list {column!r} under `optional` if it may be)"


def problem(field: str, code: str, message: str, **where: Any) -> Problem:
    """One table problem in the shape of every extraction problem (bots/pdf/problems.py)."""
    return {"field": field, "code": code, "message": message, **where,
            "details": {"field": field, **where}}
