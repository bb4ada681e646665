"""Work items from spreadsheet rows: one item per order number (or any `group_by` value).

Real workbooks carry title rows, hidden columns, numbers typed as text and a TOTAL row: the
header is found by its texts, cells are typed per field, and `skip` patterns drop rows that are
not data. A group whose rows cannot be read still becomes an item, carrying a `source_error`, so
that it lands in the exception queue with its reason instead of being lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.engine.sources.files import arrived_at
from bots.kernel import WorkItem
from bots.kernel.errors import BotError
from bots.recipe.model import SheetSource
from bots.sheets import (
    Book,
    Table,
    cell_name,
    find_table,
    is_formula,
    load_book,
    single_spaced,
    typed,
)


@dataclass
class Group:
    """The rows of one item, in sheet order, and what was wrong with them."""

    value: str
    rows: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def sheet_items(path: Path, source: SheetSource) -> list[WorkItem]:
    """One item per distinct `group_by` value of the sheet, in order of first appearance."""
    spec = source.sheet
    book = load_book(str(path))
    table = find_table(book, book.sheet(spec.sheet), spec.columns[spec.group_by], spec.header_row)
    columns = {name: table.column(header) for name, header in spec.columns.items()}
    groups = _groups(table, columns, source)
    arrived = arrived_at(path)
    return [_item(path, book, table, columns, source, group, arrived) for group in groups]


def _groups(table: Table, columns: dict[str, int], source: SheetSource) -> list[Group]:
    spec = source.sheet
    skip = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in spec.skip.items()}
    groups: dict[str, Group] = {}
    for row in range(table.header_row + 1, len(table.grid.rows) + 1):
        values = {name: table.grid.value(row, column) for name, column in columns.items()}
        if all(single_spaced(v) == "" for v in values.values()):
            continue
        if any(pattern.search(single_spaced(values[name])) for name, pattern in skip.items()):
            continue
        key = single_spaced(values[spec.group_by]) or f"(row {row}: no {spec.group_by})"
        groups.setdefault(key, Group(key)).rows.append(row)
    return list(groups.values())


def _item(path: Path, book: Book, table: Table, columns: dict[str, int], source: SheetSource,
          group: Group, arrived: str) -> WorkItem:
    values, lines, provenance = _read_group(book, table, columns, source, group)
    reference = re.sub(r"[^A-Za-z0-9._-]+", "-", group.value).strip("-")[:60]
    data: dict[str, Any] = {"source": source.name}
    record = {**values, "lines": lines, "_provenance": provenance}
    if source.provides:
        data["provides"] = {source.provides: record}
    else:
        data.update(record)
    if group.problems:
        data["source_error"] = "; ".join(group.problems)
    return WorkItem(key=f"{source.name}-{reference}", name=f"{path.name} {group.value}",
                    path=str(path.resolve()), arrived_at=arrived, data=data)


def _read_group(book: Book, table: Table, columns: dict[str, int], source: SheetSource,
                group: Group) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    spec = source.sheet
    header_fields = [name for name in columns if name not in spec.line_fields]
    first = group.rows[0]
    values = {name: _cell(book, table, first, columns[name], spec.types.get(name), group)
              for name in header_fields}
    for row in group.rows[1:]:
        _check_same(table, row, first, columns, header_fields, group)
    lines = [{name: _cell(book, table, row, columns[name], spec.types.get(name), group)
              for name in spec.line_fields} for row in group.rows]
    provenance: dict[str, Any] = {
        name: {"sheet": table.grid.name, "cell": cell_name(first, columns[name]),
               "text": single_spaced(table.grid.value(first, columns[name]))}
        for name in header_fields}
    provenance["lines"] = [{"sheet": table.grid.name, "row": row} for row in group.rows]
    return values, lines, provenance


def _cell(book: Book, table: Table, row: int, column: int, kind: str | None,
          group: Group) -> Any:
    raw = table.grid.value(row, column)
    if raw is None and _uncomputed_formula(book, table, row, column, group):
        return None
    if raw is None or single_spaced(raw) == "" or kind is None:
        return None if raw is None or single_spaced(raw) == "" else single_spaced(raw)
    try:
        return typed(kind, raw, book.epoch)
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


def _check_same(table: Table, row: int, first: int, columns: dict[str, int],
                fields: list[str], group: Group) -> None:
    for name in fields:
        here, there = (single_spaced(table.grid.value(r, columns[name])) for r in (row, first))
        if here and here != there:
            group.problems.append(f"rows {first} and {row} of sheet '{table.grid.name}' "
                                  f"disagree on {name}: {there!r} / {here!r}")
