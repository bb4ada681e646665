"""`exceptions`: the exception queue, for people (a table) and machines (--json)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bots.commands.common import database_url, fail, print_json, say
from bots.kernel.errors import CODES
from bots.ledger import Ledger
from bots.terminal import printable

ID_WIDTH = 10  # the first hex digits of an item's key: enough to tell items apart


def list_exceptions(*, recipe: str | None = None, as_json: bool = False) -> int:
    """Print every item in the exception queue, oldest first."""
    ledger = Ledger(database_url())
    rows = [row for row in ledger.find_items(recipe=recipe, status="exception")
            if row["review_state"] == "open"]
    if as_json:
        print_json([_summary(row) for row in rows])
        return 0
    if not rows:
        print("The exception queue is empty.")
        return 0
    print(f"{'ID':<{ID_WIDTH}}  {'RECIPE':<14} {'CODE':<22} {'STEP':<10} {'AGE':>6}  ITEM")
    for row in rows:
        say(f"{row['item_key'][:ID_WIDTH]:<{ID_WIDTH}}  {row['recipe']:<14} "
            f"{row['code'] or '':<22} {row['step'] or '':<10} {_age(row):>6}  "
            f"{printable(row['name'])}")
    print(f"\n{len(rows)} item(s). Details: python runner.py exceptions show ID")
    return 0


def show_exception(item: str, *, as_json: bool = False) -> int:
    """Print one item with its reason, values, provenance and evidence."""
    ledger = Ledger(database_url())
    matches = [row for row in ledger.find_items()
               if row["item_key"].startswith(item) or row["item_id"] == item]
    if len(matches) != 1:
        fail(f"{'no item' if not matches else 'several items'} match '{item}'; "
             "use an ID from `python runner.py exceptions`")
        return 2
    row = matches[0]
    row["audit"] = ledger.audit_trail(row["item_id"])
    if as_json:
        print_json(row)
    else:
        say(_describe(row))
    return 0


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("item_id", "recipe", "name", "path", "code", "message", "step", "arrived_at",
            "updated_at", "evidence")
    return {"id": row["item_key"][:ID_WIDTH], **{key: row[key] for key in keys}}


def _describe(row: dict[str, Any]) -> str:
    shown = {key: printable(row[key] or "-") for key in ("name", "path", "reference", "message")}
    lines = [f"Item      {shown['name']}  (id {row['item_key'][:ID_WIDTH]}, "
             f"recipe {row['recipe']})",
             f"File      {shown['path']}",
             f"Status    {row['status']}" + (f"  reference {shown['reference']}"
                                             if row["reference"] else ""),
             f"Code      {row['code'] or '-'}  {CODES.get(row['code'] or '', '')}",
             f"Step      {row['step'] or '-'}",
             f"Reason    {shown['message']}"]
    for label, key in (("Evidence", "evidence"), ("Values", "values"),
                       ("Provenance", "provenance")):
        if row[key]:
            lines.append(f"{label}:\n" + _indent(json.dumps(row[key], indent=2, default=str)))
    for entry in row["audit"]:
        lines.append(f"Audit     {entry['at']} {printable(entry['who'])} {entry['action']} "
                     f"{printable(entry['note'])}")
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _age(row: dict[str, Any]) -> str:
    seconds = (datetime.now(UTC) - datetime.fromisoformat(row["created_at"])).total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"
