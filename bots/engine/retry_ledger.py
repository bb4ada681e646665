"""What the ledger says about a recipe's open exceptions, for the automatic-retry policy: each
one's last end (kind and time, from its `item.ended` event) and how often a run retried it (the
audit trail's "auto-retry" entries). A few queries for the whole recipe, however many items are
open: one per item cost seconds at a run's start with a few thousand in the queue.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from bots.ledger import Ledger
from bots.ledger.tables import audit, events, items

AUTO = "auto-retry"  # who, in the audit trail
CONSIDERED = ("exception", "running")  # open, or left running by a retry a stopped run began


@dataclass(frozen=True)
class OpenItem:
    """An open item of the recipe with its last end and its automatic retries so far."""

    row: dict[str, Any]
    ended: dict[str, Any]  # the last item.ended event's data and `at`; {} for older records
    retried: int


def open_items(ledger: Ledger, recipe: str) -> list[OpenItem]:
    """The recipe's open exceptions (and items left running), oldest first."""
    rows = [row for status in CONSIDERED
            for row in ledger.find_items(recipe=recipe, status=status)
            if row["review_state"] == "open"]
    mine = sa.select(items.c.item_id).where(items.c.recipe == recipe,
                                            items.c.status.in_(CONSIDERED))
    with ledger.engine.connect() as db:
        ends = db.execute(sa.select(events.c.item_id, events.c.at, events.c.data_json)
                          .where(events.c.event == "item.ended", events.c.item_id.in_(mine))
                          .order_by(events.c.id))
        last = {item_id: {**json.loads(data or "{}"), "at": at} for item_id, at, data in ends}
        retries = db.execute(
            sa.select(audit.c.item_id, sa.func.count())
            .where(audit.c.who == AUTO, audit.c.action == "retry", audit.c.item_id.in_(mine))
            .group_by(audit.c.item_id))
        counts: dict[str, int] = {item_id: count for item_id, count in retries}
    return [OpenItem(row, last.get(row["item_id"], {}), int(counts.get(row["item_id"], 0)))
            for row in rows]
