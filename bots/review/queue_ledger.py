"""The queue's two queries of the ledger, each once for the whole ledger (a queue of thousands
asks twice, never once per row): the items, without the columns the queue never shows (step
outputs, evidence, the work item), their values and provenance left as JSON text until a
search needs them; and each item's closing (who resolved or rejected it, when and how)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bots.ledger import Ledger
from bots.ledger.tables import audit, items
from bots.review import queue_words as words

CLOSING_ACTIONS = ("resolve", "reject")
BOT = "the bot"
Row = dict[str, Any]
SHOWN = ("item_id", "recipe", "item_key", "name", "path", "arrived_at", "status", "code",
         "message", "step", "reference", "review_state", "assignee", "due_at", "created_at",
         "updated_at", "values_json", "provenance_json")


def queue_items(ledger: Ledger) -> list[Row]:
    """Every item with the columns the queue shows or searches, oldest first."""
    query = (sa.select(*(items.c[name] for name in SHOWN))
             .order_by(items.c.created_at, items.c.item_id))
    with ledger.engine.connect() as db:
        return [dict(row) for row in db.execute(query).mappings()]


def closings(ledger: Ledger) -> dict[str, Row]:
    """Each item's last closing audit entry (who, at, action, note), by item id."""
    query = (sa.select(audit.c.item_id, audit.c.who, audit.c.at, audit.c.action, audit.c.note)
             .where(audit.c.action.in_(CLOSING_ACTIONS)).order_by(audit.c.id))
    with ledger.engine.connect() as db:
        return {row["item_id"]: dict(row) for row in db.execute(query).mappings()}


def how_closed(row: Row, closing: Row | None, now: datetime) -> Row:
    """closed_by, closed_at (with words and exact title) and how (the reference keyed, or
    the reject reason) of a closed item; blanks for an open one."""
    if row["view"] not in ("resolved", "rejected", "done"):
        return {"closed_by": "", "closed_at": "", "closed_words": "", "closed_title": "",
                "how": ""}
    if row["view"] == "done" or closing is None:
        by, at = (BOT if row["view"] == "done" else "-"), row.get("updated_at") or ""
    else:
        by, at = closing["who"], closing["at"]
    return {"closed_by": by, "closed_at": at, "closed_words": words.ago(at, now),
            "closed_title": words.exact(at), "how": _how(row, closing)}


def _how(row: Row, closing: Row | None) -> str:
    note = (closing or {}).get("note") or ""
    if row["view"] == "rejected":
        return f"rejected: {note}" if note else "rejected"
    reference = row.get("reference") or ""
    how = f"reference {reference}" if reference else ""
    if row["view"] == "resolved":
        how = " · ".join(part for part in ("by hand", how, note) if part)
    return how
