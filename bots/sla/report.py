"""The service-goal report: per recipe, counts by state, the oldest open item, the open items.

The report is plain JSON-able data, so the `sla` command prints it for people or machines and
the alerts read it. Recipes that have items in the ledger but no goal are listed with the note
"no service goal".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bots.sla.durations import iso, parse_time
from bots.sla.goal import ServiceGoal
from bots.sla.states import STATES, is_open, item_due_at, state

if TYPE_CHECKING:
    from bots.ledger import Ledger

NO_GOAL = "no service goal"

Goals = Mapping[str, ServiceGoal | None]


def report(ledger: Ledger, recipe: str | None, goals: Goals, now: datetime) -> dict[str, Any]:
    """Every recipe's standing at `now` (only `recipe`'s when given)."""
    items = ledger.find_items(recipe=recipe)
    names = sorted({*goals, *(item["recipe"] for item in items)})
    if recipe:
        names = [name for name in names if name == recipe]
    return {"at": iso(now),
            "recipes": [recipe_report(name, [i for i in items if i["recipe"] == name],
                                      goals.get(name), now) for name in names]}


def recipe_report(name: str, items: list[dict[str, Any]], goal: ServiceGoal | None,
                  now: datetime) -> dict[str, Any]:
    """One recipe's counts by state, its oldest open item and its open items."""
    if goal is None:
        return {"recipe": name, "goal": None, "note": NO_GOAL, "items": len(items)}
    counts = dict.fromkeys(STATES, 0)
    open_rows = []
    for item in items:
        counts[state(item, goal, now)] += 1
        if is_open(item):
            open_rows.append(open_row(item, goal, now))
    open_rows.sort(key=lambda row: row["due_in_s"])
    return {"recipe": name, "goal": goal.model_dump(exclude={"alert_webhook"}),
            "items": len(items), "counts": counts, "oldest_open": oldest(open_rows),
            "open": open_rows}


def open_row(item: dict[str, Any], goal: ServiceGoal, now: datetime) -> dict[str, Any]:
    """What the report says about one open item; due_in_s is negative once it is overdue."""
    arrived = item.get("arrived_at") or item["created_at"]
    due = item_due_at(item, goal)
    return {"item_id": item["item_id"], "name": item["name"], "status": item["status"],
            "code": item.get("code"), "state": state(item, goal, now), "arrived_at": arrived,
            "due_at": due, "age_s": _seconds(now, arrived), "due_in_s": -_seconds(now, due)}


def oldest(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The open item that arrived first: its name, age and due time."""
    if not rows:
        return None
    row = max(rows, key=lambda r: r["age_s"])
    return {key: row[key] for key in ("item_id", "name", "age_s", "due_at", "state")}


def _seconds(now: datetime, since: str) -> int:
    return int((now - parse_time(since)).total_seconds())
