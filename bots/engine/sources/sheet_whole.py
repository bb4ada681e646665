"""A whole sheet as ONE work item (``sheet: {one_item: <name>}``), for processes that need it.

Some processes key a whole list at once (a day's price changes, a practice form fed from one
workbook inside one item's loop). The item's data carries the sheet's data rows as ``rows``, in
sheet order, each a mapping of every field (typed like grouped items); its key is the source's
name, the item's name and a hash of that content, so the same sheet is the same item (never
keyed twice) and a changed sheet is a new one. A bad cell makes the item SOURCE_ROW_INVALID.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from bots.engine.sources.sheet_cells import Group, cell, data_rows
from bots.kernel import WorkItem
from bots.recipe.model import SheetSource
from bots.sheets import Book, Table


def whole_sheet_item(path: Path, book: Book, table: Table, columns: dict[str, int],
                     source: SheetSource, arrived: str) -> WorkItem:
    """The sheet's data rows as one item named `one_item`."""
    name = source.sheet.one_item or "sheet"
    group = Group(name, [row for row, _ in data_rows(table, columns, source)])
    rows = [_row(book, table, columns, source, row, group) for row in group.rows]
    record: dict[str, Any] = {"rows": rows, "_provenance": {
        "rows": [{"sheet": table.grid.name, "row": row} for row in group.rows]}}
    data: dict[str, Any] = {"source": source.name}
    if source.provides:
        data["provides"] = {source.provides: record}
    else:
        data.update(record)
    if group.problems:
        data["source_error"] = "; ".join(group.problems)
    return WorkItem(key=f"{source.name}-{_slug(name)}-{_content_hash(rows)}",
                    name=f"{path.name} {name}", path=str(path.resolve()), arrived_at=arrived,
                    data=data)


def _row(book: Book, table: Table, columns: dict[str, int], source: SheetSource, row: int,
         group: Group) -> dict[str, Any]:
    types = source.sheet.types
    return {name: cell(book, table, row, column, types.get(name), group)
            for name, column in columns.items()}


def _content_hash(rows: list[dict[str, Any]]) -> str:
    """What the rows say, hashed: the same content gives the same key in every run."""
    text = json.dumps(rows, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")[:40] or "sheet"
