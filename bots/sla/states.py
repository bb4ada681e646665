"""Where an item stands against its recipe's service goal: on time, at risk, breached, met, missed.

An item is open while the bot or a person still owes it work (queued, running, or an
exception nobody has resolved or rejected). An open item is

    on_time   before the at-risk window,
    at_risk   from `at_risk_before` ahead of its due time up to and including the due time,
    breached  after its due time.

A finished item (done, resolved or rejected) was `met` when it finished (its `updated_at`)
at or before its due time, else `missed`.

The due time is the ledger's `due_at` when the engine stored one, else it is computed from the
item's arrival (or, lacking that, from when the ledger first saw it).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from bots.sla.durations import iso, parse_duration, parse_time
from bots.sla.goal import ServiceGoal

if TYPE_CHECKING:
    from bots.ledger import Ledger

State = Literal["on_time", "at_risk", "breached", "met", "missed"]
OPEN_STATES: tuple[State, ...] = ("on_time", "at_risk", "breached")
STATES: tuple[State, ...] = (*OPEN_STATES, "met", "missed")
ALERT_STATES: tuple[State, ...] = ("at_risk", "breached")


def due_at(goal: ServiceGoal, arrived_at: str) -> str:
    """When an item that arrived at `arrived_at` (ISO) is due under `goal`, as ISO UTC."""
    if not arrived_at:
        raise ValueError("an item without an arrival time has no due time: pass arrived_at "
                         "(ISO), or the time the item was first seen")
    return iso(parse_duration(goal.due_after).after(parse_time(arrived_at)))


def item_due_at(item: dict[str, Any], goal: ServiceGoal) -> str:
    """An item's due time: the stored one, else computed from its arrival."""
    return item.get("due_at") or due_at(goal, item.get("arrived_at") or item["created_at"])


def is_open(item: dict[str, Any]) -> bool:
    """True while the bot or a person still owes the item work."""
    if item.get("review_state") in ("resolved", "rejected"):
        return False
    return bool(item["status"] != "done")


def state(item: dict[str, Any], goal: ServiceGoal, now: datetime) -> State:
    """Where the item stands against the goal at `now` (see the module's docstring)."""
    due = parse_time(item_due_at(item, goal))
    if not is_open(item):
        return "met" if parse_time(item["updated_at"]) <= due else "missed"
    if now > due:
        return "breached"
    if now >= parse_duration(goal.at_risk_before).before(due):
        return "at_risk"
    return "on_time"


def open_counts(items: list[dict[str, Any]], goal: ServiceGoal,
                now: datetime) -> dict[str, int]:
    """How many of the items are on time, at risk and breached (open items only)."""
    counts: dict[str, int] = dict.fromkeys(OPEN_STATES, 0)
    for item in items:
        if is_open(item):
            counts[state(item, goal, now)] += 1
    return counts


def run_counts(ledger: Ledger, recipe_name: str, goal: ServiceGoal,
               now: datetime) -> dict[str, int]:
    """For a run's summary: the recipe's open items on time, at risk and breached at `now`."""
    return open_counts(ledger.find_items(recipe=recipe_name), goal, now)
