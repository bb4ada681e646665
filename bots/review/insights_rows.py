"""Each item's history as the insights page reads it: three queries for all items, none per item.

From the ledger:

    items      the item's row (lean columns: no values, no evidence)
    events     `item.ended` (every time the bot finished with the item: done or exception) and
               the `step.finished` events of steps that stopped it (step and code)
    audit      the decisions of people: resolve, reject, approve (or confirm an approval),
               correct (a retry with changed values, or "the source was wrong"), retry as is.
               Automatic retries by a run (who = auto-retry) are no person's decision.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from bots.ledger import Ledger
from bots.ledger.tables import audit, events, items

AUTO = "auto-retry"  # who, in the audit trail, when a run retried an item by itself
ENDED, STEP_FINISHED = "item.ended", "step.finished"
STOPPED = '%"outcome": "exception"%'  # how dumps() writes a failed step's event (sort_keys)
DECISION_ACTIONS = ("resolve", "reject", "approve", "approval-confirmed", "retry", "source-fix")
KINDS = {"resolve": "resolved", "reject": "rejected", "approve": "approved",
         "approval-confirmed": "approved", "source-fix": "corrected"}
ITEM_COLUMNS = ("item_id", "recipe", "name", "status", "code", "step", "review_state",
                "arrived_at", "due_at", "created_at", "updated_at")


@dataclass
class History:
    """One item: its row, when the bot finished with it, where it stopped, what people did."""

    item: dict[str, Any]
    ends: list[tuple[str, str]] = field(default_factory=list)  # (at, done | exception)
    stops: set[tuple[str, str]] = field(default_factory=set)  # (step, code)
    decisions: list[tuple[str, str]] = field(default_factory=list)  # (at, kind)

    def first_end(self) -> tuple[str, str] | None:
        """When the bot first finished the item and how; for rows older than `item.ended`
        events, the row's last update and status."""
        if self.ends:
            return self.ends[0]
        if self.item["status"] in ("done", "exception"):
            return str(self.item["updated_at"]), str(self.item["status"])
        return None

    def all_stops(self) -> set[tuple[str, str]]:
        """Every (step, code) that stopped the item, its current exception included."""
        current = {(self.item["step"] or "-", self.item["code"])} if (
            self.item["status"] == "exception" and self.item["code"]) else set()
        return self.stops | current


def histories(ledger: Ledger, recipe: str | None) -> list[History]:
    """Every item of the recipe (of all recipes when None) with its history, oldest first."""
    chosen = items.c.recipe == recipe if recipe else sa.true()
    with ledger.engine.connect() as db:
        rows = db.execute(sa.select(*(items.c[name] for name in ITEM_COLUMNS)).where(chosen)
                          .order_by(items.c.created_at, items.c.item_id))
        # plain tuples: a mapping per row costs more than the rest of the page together
        found = {row[0]: History(dict(zip(ITEM_COLUMNS, row, strict=True))) for row in rows}
        _add_events(found, db.execute(_events_query(chosen)))
        _add_decisions(found, db.execute(_audit_query(chosen)))
    return list(found.values())


def _events_query(chosen: sa.ColumnElement[bool]) -> sa.Select[Any]:
    wanted = sa.or_(events.c.event == ENDED, sa.and_(events.c.event == STEP_FINISHED,
                                                    events.c.data_json.like(STOPPED)))
    return (sa.select(events.c.item_id, events.c.at, events.c.event, events.c.data_json)
            .join(items, items.c.item_id == events.c.item_id)
            .where(chosen, wanted).order_by(events.c.id))


def _audit_query(chosen: sa.ColumnElement[bool]) -> sa.Select[Any]:
    return (sa.select(audit.c.item_id, audit.c.at, audit.c.action, audit.c.after_json)
            .join(items, items.c.item_id == audit.c.item_id)
            .where(chosen, audit.c.action.in_(DECISION_ACTIONS), audit.c.who != AUTO)
            .order_by(audit.c.id))


def _add_events(found: dict[str, History], rows: Iterable[Any]) -> None:
    for item_id, at, event, data_json in rows:
        data = json.loads(data_json or "{}")
        if event == ENDED:
            found[item_id].ends.append((at, str(data.get("status"))))
        elif data.get("outcome") == "exception" and data.get("code"):
            found[item_id].stops.add((str(data.get("step_id") or "-"), str(data["code"])))


def _add_decisions(found: dict[str, History], rows: Iterable[Any]) -> None:
    for item_id, at, action, after_json in rows:
        found[item_id].decisions.append((at, decision_kind(action, after_json)))


def decision_kind(action: str, after_json: str | None) -> str:
    """resolved, rejected, approved, corrected or retried: what a person's audit entry did."""
    if action != "retry":
        return KINDS[action]
    return "corrected" if json.loads(after_json or "{}") else "retried"
