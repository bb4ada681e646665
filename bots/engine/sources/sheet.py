"""Work items from spreadsheet rows: one item per order number (or any `group_by` value).

Real workbooks carry title rows, hidden columns, numbers typed as text and a TOTAL row: the
header is found by its texts, cells are typed per field, and `skip` patterns drop rows that are
not data. A group whose rows cannot be read still becomes an item, carrying a `source_error`, so
that it lands in the exception queue with its reason instead of being lost.

A sheet's used range often runs far below its data (a styled cell, an empty string at row
500): a row whose every mapped cell is empty is no data and silently no item. A row with data
but no `group_by` value is an item of its own with a `source_error` (SOURCE_ROW_INVALID).

``one_item: <name>`` hands the whole sheet to one item instead (``sources.sheet_whole``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bots.engine.sources.files import arrived_at
from bots.engine.sources.sheet_cells import Group, cell, cell_text, data_rows
from bots.engine.sources.sheet_whole import whole_sheet_item
from bots.kernel import WorkItem
from bots.recipe.model import SheetSource
from bots.sheets import Book, Table, cell_name, find_table, load_book


def sheet_items(path: Path, source: SheetSource) -> list[WorkItem]:
    """One item per distinct `group_by` value of the sheet, in order of first appearance."""
    spec = source.sheet
    book = load_book(str(path))
    anchor = spec.group_by or next(iter(spec.columns))
    table = find_table(book, book.sheet(spec.sheet), spec.columns[anchor], spec.header_row)
    columns = {name: table.column(header) for name, header in spec.columns.items()}
    arrived = arrived_at(path)
    if spec.one_item:
        return [whole_sheet_item(path, book, table, columns, source, arrived)]
    groups = _groups(table, columns, source)
    return [_item(path, book, table, columns, source, group, arrived) for group in groups]


def _groups(table: Table, columns: dict[str, int], source: SheetSource) -> list[Group]:
    group_by = source.sheet.group_by or ""
    groups: dict[str, Group] = {}
    for row, values in data_rows(table, columns, source):
        key = cell_text(values[group_by])
        if not key:  # data, but nothing names its item: an exception of its own, not lost
            key = f"(row {row}: no {group_by})"
            groups.setdefault(key, Group(key)).problems.append(
                f"row {row} of sheet '{table.grid.name}' has data but no {group_by} (column "
                f"'{source.sheet.columns[group_by]}'); fill it in or clear the row")
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
    values = {name: cell(book, table, first, columns[name], spec.types.get(name), group)
              for name in header_fields}
    for row in group.rows[1:]:
        _check_same(table, row, first, columns, header_fields, group)
    lines = [{name: cell(book, table, row, columns[name], spec.types.get(name), group)
              for name in spec.line_fields} for row in group.rows]
    provenance: dict[str, Any] = {
        name: {"sheet": table.grid.name, "cell": cell_name(first, columns[name]),
               "text": cell_text(table.grid.value(first, columns[name]))}
        for name in header_fields}
    provenance["lines"] = [{"sheet": table.grid.name, "row": row} for row in group.rows]
    return values, lines, provenance


def _check_same(table: Table, row: int, first: int, columns: dict[str, int],
                fields: list[str], group: Group) -> None:
    for name in fields:
        here, there = (cell_text(table.grid.value(r, columns[name])) for r in (row, first))
        if here and here != there:
            group.problems.append(f"rows {first} and {row} of sheet '{table.grid.name}' "
                                  f"disagree on {name}: {there!r} / {here!r}")
