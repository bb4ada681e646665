"""The exception queue as the review page shows it: open items, filters, counts and SLA state."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bots import sla
from bots.kernel.errors import CODES
from bots.ledger import Ledger
from bots.ledger.item_ids import short_ids
from bots.recipe import RECIPES_DIR
from bots.recipe.goals import load_goals
from bots.sla.goal import ServiceGoal

Goals = Mapping[str, ServiceGoal | None]

NO_SLA = "-"
FILTERS = ("recipe", "code", "step", "sla")


@dataclass(frozen=True)
class QueueView:
    """What the queue page shows: the rows left by the filters and the choices for each."""

    rows: list[dict[str, Any]]
    total: int
    counts: list[tuple[str, int]]
    choices: dict[str, list[str]]
    chosen: dict[str, str]


def open_exceptions(ledger: Ledger, goals: Goals) -> list[dict[str, Any]]:
    """Every open exception item, oldest first, with its short ID, age and SLA state."""
    now = datetime.now(UTC)
    everyone = ledger.find_items()
    rows = [row for row in everyone if row["status"] == "exception"
            and row["review_state"] == "open"]
    ids = short_ids(rows, everyone)  # the IDs `runner.py exceptions` prints
    for row in rows:
        row["short_id"] = ids[row["item_id"]]
        row["age"] = age(row.get("arrived_at") or row["created_at"], now)
        row["sla"] = sla_state(row, goals.get(row["recipe"]), now)
        row["meaning"] = CODES.get(row["code"] or "", "")
    return rows


def queue_view(ledger: Ledger, chosen: dict[str, str], goals: Goals) -> QueueView:
    """The open items matching the chosen filters, with per-code counts of what is shown."""
    rows = open_exceptions(ledger, goals)
    chosen = {key: value for key, value in chosen.items() if key in FILTERS and value}
    choices = {key: sorted({str(row[key] or "") for row in rows} - {""}) for key in FILTERS}
    shown = [row for row in rows
             if all(str(row[key] or "") == value for key, value in chosen.items())]
    counts = Counter(row["code"] or "-" for row in shown).most_common()
    return QueueView(shown, len(rows), counts, choices, chosen)


def age(start: str, now: datetime) -> str:
    """How long ago an ISO timestamp was, in the largest whole unit (3d, 5h, 12m, 40s)."""
    try:
        then = datetime.fromisoformat(start)
    except (TypeError, ValueError):
        return "-"
    then = then if then.tzinfo else then.replace(tzinfo=UTC)
    seconds = max(0.0, (now - then).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"


def sla_state(item: dict[str, Any], goal: ServiceGoal | None, now: datetime) -> str:
    """on_time / at_risk / breached / met / missed under the recipe's goal; "-" without one."""
    if goal is None:
        return NO_SLA
    try:
        return str(sla.state(item, goal, now))
    except (ValueError, KeyError, TypeError):  # one item's odd dates must not break the page
        return NO_SLA


def load_service_goals(folder: Path = RECIPES_DIR) -> Goals:
    """Each recipe's service goal (None when it has none or does not load)."""
    goals, _broken = load_goals(folder)
    return goals
