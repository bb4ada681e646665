"""`exceptions show ID`: one item of the ledger, for people (a short page) and machines (--json).

The page says what the item is, why it stopped (code, message, step, what the code means),
its values with where each came from, the evidence, its history (steps, retries, people's
actions) and the commands that fit it, with its real ID. `--json` gives everything the ledger
holds about it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from bots.commands.common import database_url, fail, print_json, say
from bots.commands.exceptions import item_age
from bots.commands.item_story import evidence_lines, history_lines, read_with
from bots.commands.next_steps import is_system_failure, next_lines
from bots.commands.value_table import value_lines
from bots.engine.progress import shorten, terminal_width
from bots.engine.recipe_of import recipe_of
from bots.kernel.errors import CODES, BotError
from bots.ledger import Ledger, item_ids
from bots.ledger.actions import ActionError
from bots.recipe import Recipe
from bots.terminal import printable

Row = dict[str, Any]


def show_exception(item: str, *, as_json: bool = False) -> int:
    """Print one item: what it is, why it stopped, its values, evidence, history and the
    commands that fit it (`as_json`: everything the ledger holds about it)."""
    ledger = Ledger(database_url())
    try:
        row = _found(ledger, item)
    except BotError as error:
        fail(error.message)
        return 2
    finally:
        ledger.close()
    if as_json:
        print_json(row)
    else:
        say("\n".join(page(row, _recipe(row), terminal_width(sys.stdout))))
    return 0


def _found(ledger: Ledger, ident: str) -> Row:
    """The item `ident` names (as `find_item` reads it), with its short ID, its audit trail
    (before and after also as data) and its kept events."""
    everyone = ledger.find_items()
    matches = item_ids.matching(ident, everyone)
    if len(matches) != 1:
        raise ActionError(item_ids.not_one(ident, matches, everyone))
    row = matches[0]
    row["id"] = item_ids.short_id(row, everyone)
    row["audit"] = [_decoded(entry) for entry in ledger.audit_trail(row["item_id"])]
    row["events"] = ledger.events(row["item_id"])
    return row


def _decoded(entry: Row) -> Row:
    """An audit entry with `before` and `after` as data beside their JSON text (kept as it
    was for the scripts that read it)."""
    return {**entry, **{key.removesuffix("_json"): json.loads(entry[key])
                        if isinstance(entry.get(key), str) else entry.get(key)
                        for key in ("before_json", "after_json")}}


def page(row: Row, recipe: Recipe | None, width: int) -> list[str]:
    """The item as a short page of text, each line within `width` columns (0: no limit)."""
    steps = {step.id: step.type.name for step in recipe.steps} if recipe else {}
    sections = [
        _what(row, width),
        _why(row, width),
        _titled("Values", value_lines(row.get("values") or {}, row.get("provenance") or {},
                                      steps, width)),
        _titled("Evidence", evidence_lines(row.get("evidence") or {})),
        _titled("History", history_lines(row, width)),
        _titled("Next", next_lines(row, recipe, width)),
    ]
    return [line for section in sections if section for line in section]


def _what(row: Row, width: int) -> list[str]:
    """The item: its name, ID, recipe, status and age, and its file (a path is never cut)."""
    status = row["status"]
    if status == "exception" or row.get("review_state") not in (None, "open"):
        status += f" ({row.get('review_state') or 'open'})"
    lines = [_wrapped(printable(row["name"]), width).strip(),
             f"  id {row['id']} · recipe {row['recipe']} · {status} · {item_age(row)} old"]
    if row.get("path"):
        lines.append(f"  file {printable(row['path'])}")
    if row.get("reference"):
        lines.append(f"  reference {printable(row['reference'])}")
    if row.get("assignee"):
        lines.append(f"  assigned to {printable(row['assignee'])}")
    return lines


def _why(row: Row, width: int) -> list[str]:
    """Why it stopped: code, kind, step, the message, what the code means; the layout read."""
    if row["status"] != "exception" or not row.get("code"):
        return []
    kind = "system failure" if is_system_failure(row) else "business exception"
    lines = [f"  {row['code']} ({kind}) at step {row.get('step') or '-'}"]
    for text in (row.get("message"), CODES.get(row["code"])):
        if text:
            lines.append(_wrapped(printable(text, lines=True), width))
    lines += read_with(row.get("outputs") or {})
    return _titled("Why it stopped", lines)


def _wrapped(text: str, width: int) -> str:
    """A message indented; on a known width, each of its lines shortened at a word."""
    return "\n".join("  " + (shorten(line, width - 2) if width and len(line) > width - 2
                             else line) for line in text.splitlines())


def _titled(title: str, lines: list[str]) -> list[str]:
    return ["", title, *lines] if lines else []


def _recipe(row: Row) -> Recipe | None:
    """The item's recipe, for its steps' types; None when it does not load (the page is
    shown all the same)."""
    try:
        return recipe_of(row)
    except BotError:
        return None
