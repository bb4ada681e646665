"""`exceptions show ID`: one item of the ledger, for people (a page) and machines (--json)."""

from __future__ import annotations

import json
from typing import Any

from bots.commands.common import database_url, fail, print_json, say
from bots.commands.exceptions import ID_WIDTH
from bots.kernel.errors import CODES
from bots.ledger import Ledger
from bots.terminal import printable


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


def _describe(row: dict[str, Any]) -> str:
    shown = {key: printable(row[key] or "-") for key in ("name", "path", "reference", "message")}
    lines = [f"Item      {shown['name']}  (id {row['item_key'][:ID_WIDTH]}, "
             f"recipe {row['recipe']})",
             f"File      {shown['path']}",
             f"Status    {row['status']}" + (f"  reference {shown['reference']}"
                                             if row["reference"] else ""),
             f"Code      {row['code'] or '-'}  {CODES.get(row['code'] or '', '')}",
             f"Step      {row['step'] or '-'}",
             *_read_with(row.get("outputs") or {}),
             f"Reason    {shown['message']}"]
    for label, key in (("Evidence", "evidence"), ("Values", "values"),
                       ("Provenance", "provenance")):
        if row[key]:
            lines.append(f"{label}:\n" + _indent(json.dumps(row[key], indent=2, default=str)))
    for entry in row["audit"]:
        lines.append(f"Audit     {entry['at']} {printable(entry['who'])} {entry['action']} "
                     f"{printable(entry['note'])}")
    return "\n".join(lines)


def _read_with(outputs: dict[str, Any]) -> list[str]:
    """Which layout each document step chose, and the fields it doubted (score < 1)."""
    lines = []
    for step, output in outputs.items():
        if not isinstance(output, dict) or not output.get("_layout"):
            continue
        doubted = sorted(name for name, judged in (output.get("_confidence") or {}).items()
                         if isinstance(judged, dict) and judged.get("score", 1) < 1)
        doubts = f"  doubted: {', '.join(doubted)}" if doubted else ""
        lines.append(f"Layout    {step}: {printable(output['_layout'])}{printable(doubts)}")
    return lines


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
