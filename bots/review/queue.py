"""The exception queue as the review page shows it: a status view of the ledger's items,
searched, filtered, sorted, with each row's reason, age, due time, SLA state and closing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bots import sla
from bots.kernel.errors import CODES
from bots.ledger import Ledger
from bots.ledger.item_ids import short_ids
from bots.recipe import RECIPES_DIR
from bots.recipe.goals import load_goals
from bots.review import queue_words as words
from bots.review.queue_ledger import closings, how_closed, queue_items
from bots.review.queue_search import DEFAULT_SORT, searched, shortened, sorted_rows
from bots.sla.goal import ServiceGoal

Goals = Mapping[str, ServiceGoal | None]
Row = dict[str, Any]

NO_SLA = "-"
FILTERS = ("recipe", "code", "step", "sla")
VIEWS = ("open", "mine", "resolved", "rejected", "done")
CLOSED_VIEWS = ("resolved", "rejected", "done")


@dataclass(frozen=True)
class QueueQuery:
    """What the page asked for: a status view, select filters, a search, a sort."""

    view: str = "open"
    chosen: dict[str, str] = field(default_factory=dict)
    search: str = ""
    sort: str = DEFAULT_SORT[0]
    direction: str = DEFAULT_SORT[1]
    me: str = ""


@dataclass(frozen=True)
class QueueView:
    """What the queue page shows: the rows left by the view, search and filters, the choices
    for each filter, and how many items each status view holds."""

    rows: list[Row]
    total: int
    counts: list[tuple[str, int]]
    choices: dict[str, list[str]]
    chosen: dict[str, str]
    query: QueueQuery = field(default_factory=QueueQuery)
    per_view: dict[str, int] = field(default_factory=dict)


def status_view(row: Row) -> str:
    """Which status view an item belongs to (open, resolved, rejected, done), or "" while the
    bot still has it (queued, running)."""
    if row["review_state"] in ("resolved", "rejected"):
        return str(row["review_state"])
    if row["status"] == "done":
        return "done"
    return "open" if row["status"] == "exception" else ""


def in_view(row: Row, view: str, me: str) -> bool:
    if view == "mine":
        return row["view"] == "open" and bool(me) and row.get("assignee") == me
    return bool(row["view"] == view)


def view_rows(ledger: Ledger, everyone: list[Row], query: QueueQuery, goals: Goals,
              now: datetime | None = None) -> tuple[list[Row], dict[str, int]]:
    """The items of the query's status view, described (words for their times, SLA state,
    reason and, for a closed one, who closed it, when and how; one more query), and how many
    items each view holds."""
    now = now or datetime.now(UTC)
    for row in everyone:
        row["view"] = status_view(row)
    per_view = {view: sum(in_view(row, view, query.me) for row in everyone) for view in VIEWS}
    rows = [row for row in everyone if in_view(row, query.view, query.me)]
    closed = closings(ledger) if query.view in CLOSED_VIEWS else {}
    for row in rows:
        _describe(row, goals.get(row["recipe"]), now)
        row.update(how_closed(row, closed.get(row["item_id"]), now))
    return rows, per_view


def _describe(row: Row, goal: ServiceGoal | None, now: datetime) -> None:
    arrived = row.get("arrived_at") or row["created_at"]
    row.update(age=words.ago(arrived, now), age_title=words.exact(arrived),
               age_s=words.age_seconds(arrived, now), sla=sla_state(row, goal, now),
               meaning=CODES.get(row["code"] or "", ""),
               reason=shortened(row.get("message") or ""), message=row.get("message") or "")
    open_item = row["view"] == "open"
    row["due"] = words.due(row.get("due_at"), now) if open_item else words.NONE
    row["due_title"] = words.exact(row.get("due_at"))


def queue_view(ledger: Ledger, query: QueueQuery, goals: Goals) -> QueueView:
    """The items of the query's view matching its filters and search, sorted, with their
    short IDs (as `runner.py exceptions` prints them) and per-code counts of what is shown."""
    everyone = queue_items(ledger)
    rows, per_view = view_rows(ledger, everyone, query, goals)
    chosen = {key: value for key, value in query.chosen.items() if key in FILTERS and value}
    choices = {key: sorted({str(row[key] or "") for row in rows} - {""}) for key in FILTERS}
    shown = [row for row in searched(rows, query.search)
             if all(str(row[key] or "") == value for key, value in chosen.items())]
    counts = Counter(row["code"] or "-" for row in shown).most_common()
    shown = sorted_rows(shown, query.sort, query.direction)
    ids = short_ids(shown, everyone)  # unique among the whole ledger's items
    for row in shown:
        row["short_id"] = ids[row["item_id"]]
    return QueueView(shown, len(rows), counts, choices, chosen, query, per_view)


def sla_state(item: Row, goal: ServiceGoal | None, now: datetime) -> str:
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
