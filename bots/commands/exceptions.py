"""`exceptions`: the exception queue, for people (a table) and machines (--json); and
`exceptions retry --all`, which reruns the open exceptions after a rule change.
`exceptions show ID` lives in bots/commands/exception_show.py."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any

from bots.commands.common import (
    database_url,
    print_json,
    say,
)
from bots.engine.progress import terminal_width
from bots.ledger import Ledger
from bots.ledger.item_ids import short_ids
from bots.terminal import printable

ID_WIDTH = 10  # the first hex digits of an item's key: enough to tell items apart
Row = dict[str, Any]
NAME_ROOM = 24  # columns an item's name needs to be recognised


def list_exceptions(*, recipe: str | None = None, as_json: bool = False,
                    codes: list[str] | None = None) -> int:
    """Print every item in the exception queue (of `recipe`, with one of `codes`), oldest
    first, each with an ID that `exceptions show`, `retry`, `resolve` and `reject` accept."""
    rows, ids = _listed(recipe, codes)
    if as_json:
        print_json([_summary(row, ids[row["item_id"]]) for row in rows])
        return 0
    if not rows:
        print("The exception queue is empty.")
        return 0
    for line in _table(rows, ids, terminal_width(sys.stdout)):
        say(line)
    print(f"\n{len(rows)} item(s). Details: python runner.py exceptions show ID")
    return 0


def all_items() -> list[Row]:
    """Every item of the ledger (short IDs are unique among them all)."""
    ledger = Ledger(database_url())
    try:
        return ledger.find_items()
    finally:
        ledger.close()


def _listed(recipe: str | None, codes: list[str] | None) -> tuple[list[Row], dict[str, str]]:
    """The open exceptions and their short IDs (unique among all the ledger's items)."""
    everyone = all_items()
    rows = [row for row in everyone if row["status"] == "exception"
            and row["review_state"] == "open" and (not recipe or row["recipe"] == recipe)
            and (not codes or row["code"] in codes)]
    return rows, short_ids(rows, everyone)


def _table(rows: list[Row], ids: dict[str, str], width: int) -> list[str]:
    """The queue as lines of columns as wide as their values. On a known width, the step and
    then the recipe columns go when the item's name would have less than NAME_ROOM columns;
    the name is cut to what is left."""
    heads = ["ID", "RECIPE", "CODE", "STEP", "AGE"]
    cells = [[ids[row["item_id"]], row["recipe"], row["code"] or "", row["step"] or "",
              item_age(row)] for row in rows]
    for column in ("STEP", "RECIPE"):
        sizes = [max(len(cell[i]) for cell in [heads, *cells]) for i in range(len(heads))]
        if not width or sum(sizes) + 2 * len(sizes) + NAME_ROOM <= width:
            break
        at = heads.index(column)
        heads, cells = _without(heads, at), [_without(cell, at) for cell in cells]
    sizes = [max(len(cell[i]) for cell in [heads, *cells]) for i in range(len(heads))]
    lines = [_columns(heads, sizes) + "  ITEM"]
    for row, cell in zip(rows, cells, strict=True):
        head = _columns(cell, sizes)
        lines.append(f"{head}  {_cut(printable(row['name']), width - len(head) - 2, width)}")
    return lines


def _without(cells: list[str], at: int) -> list[str]:
    return cells[:at] + cells[at + 1:]


def _cut(name: str, room: int, width: int) -> str:
    """A name within `room` columns (cut at its end, an ellipsis saying so); whole when the
    width is not known."""
    return name if not width or len(name) <= room else name[:max(room - 1, 1)] + "…"


def _columns(cells: list[str], sizes: list[int]) -> str:
    """Cells padded to their column's size (the age, last, right-aligned)."""
    padded = [f"{cell:<{size}}" for cell, size in zip(cells[:-1], sizes, strict=False)]
    return "  ".join([*padded, f"{cells[-1]:>{sizes[-1]}}"])


def _summary(row: Row, short: str) -> dict[str, Any]:
    keys = ("item_id", "recipe", "name", "path", "code", "message", "step", "arrived_at",
            "updated_at", "evidence")
    return {"id": short, **{key: row[key] for key in keys}}


def item_age(row: dict[str, Any]) -> str:
    seconds = (datetime.now(UTC) - datetime.fromisoformat(row["created_at"])).total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"
