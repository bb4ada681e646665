"""The commands that fit an item, for `exceptions show`, written out with the item's real ID.

A business exception (the data): correct a value and retry, resolve it when it was keyed by
hand, or reject it. A system failure: retry it as it is (correcting data would not help). A
done or closed item: nothing. The value suggested for `--set` is the one that stopped the item
when that is knowable: the field a rule of the failing `data.check_rules` step checks, or a
field the document step doubted.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from bots.commands.item_story import auto_retries, doubted_fields
from bots.kernel.outcome import BUSINESS
from bots.recipe import Recipe
from bots.review.decisions import SYSTEM_CODES

Row = dict[str, Any]
RUNNER = "python runner.py"
REFERENCE = re.compile(r"^\$\{(\w[\w-]*)\.(\w[\w-]*)\}$")  # a rule's value `${step.field}`


def is_system_failure(row: Row) -> bool:
    """Whether the item's exception is a system's failure (not its data): as its last end
    recorded it, else (older records) by its code."""
    ends = [event for event in row.get("events") or [] if event["event"] == "item.ended"]
    if ends and ends[-1].get("data", {}).get("kind"):
        return bool(ends[-1]["data"]["kind"] != BUSINESS)
    return row.get("code") in SYSTEM_CODES


def next_lines(row: Row, recipe: Recipe | None, width: int = 0) -> list[str]:
    """What a person can do with the item, as commands to copy (a command is never cut: on a
    narrow terminal it goes on a line of its own under what it does)."""
    ident = shlex.quote(row["id"])
    lines = _choices(row, recipe, ident)
    size = max(len(said) for said, command in lines if command)
    if width and any(4 + size + len(command) > width for _, command in lines):
        return [line for said, command in lines
                for line in (f"  {said}", f"      {command}" if command else "") if line]
    return [f"  {said:<{size}}  {command}" if command else f"  {said}" for said, command in lines]


def _choices(row: Row, recipe: Recipe | None, ident: str) -> list[tuple[str, str]]:
    exceptions = f"{RUNNER} exceptions"
    everything = ("everything the ledger holds:", f"{exceptions} show {ident} --json")
    if row["status"] in ("queued", "running"):
        return [(f"nothing yet: the item is {row['status']}; if no run is working it, "
                 f"`{RUNNER} {row['recipe']}` finishes it", ""), everything]
    if row["status"] != "exception" or row.get("review_state") not in (None, "open"):
        state = row["status"] if row["status"] != "exception" else row["review_state"]
        return [(f"nothing: the item is {state}", ""), everything]
    resolve = ("keyed by hand? resolve it:", f"{exceptions} resolve {ident} --reference REF")
    reject = ("not to be keyed? reject it:", f'{exceptions} reject {ident} --reason "..."')
    if is_system_failure(row):
        return [("retry it as it is:", f"{exceptions} retry {ident}"), *_auto(row),
                resolve, reject, everything]
    field = suggested_field(row, recipe)
    said = "correct a value and retry:" if field else "correct a value (a name under Values):"
    return [(said, f"{exceptions} retry {ident} --set {field or 'STEP.FIELD'}=VALUE"),
            resolve, reject, everything]


def _auto(row: Row) -> list[tuple[str, str]]:
    retried = auto_retries(row.get("audit") or [])
    if retried and retried[0] < retried[1]:
        return [(f"or wait: a later run retries it by itself (done {retried[0]} of "
                 f"{retried[1]} times)", "")]
    return []


def suggested_field(row: Row, recipe: Recipe | None) -> str | None:
    """`step.field` of the value that stopped the item, when the recipe or the document's
    doubts say which; None when nothing does."""
    for step, output in (row.get("outputs") or {}).items():
        doubted = doubted_fields(output) if isinstance(output, dict) else []
        if row.get("code") == "LOW_CONFIDENCE" and doubted:
            return f"{step}.{doubted[0]}"
    for rule in _rules_of(row, recipe):
        found = REFERENCE.match(str(rule.get("value", "")))
        if rule.get("code") == row.get("code") and found:
            return f"{found.group(1)}.{found.group(2)}"
    return None


def _rules_of(row: Row, recipe: Recipe | None) -> list[dict[str, Any]]:
    """The rules of the recipe's step the item stopped at, when it checks rules."""
    for step in recipe.steps if recipe else []:
        if step.id == row.get("step") and step.type.name == "data.check_rules":
            rules = step.spec.with_.get("rules") or []
            return [rule for rule in rules if isinstance(rule, dict)]
    return []
