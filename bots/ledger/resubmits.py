"""Resubmits running in the background: at most one per item, and what the last one gave.

The review page starts a resubmit and returns at once; this table is how every page (and
every page process) knows one is running, since when and for whom, and refuses a second.
Taking the row is one conditional write, so two clicks racing cannot both win. A row still
`running` long after any resubmit could take (its page process died) may be taken again.
"""

from __future__ import annotations

import json
import weakref
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bots.ledger import Ledger, dumps, now
from bots.ledger.tables import metadata

RUNNING, FINISHED = "running", "finished"
STALE_AFTER_S = 900  # longer than the page's retry timeout (600 s): its process is gone

resubmits = sa.Table(
    "bots_resubmits", metadata,
    sa.Column("item_id", sa.String(200), primary_key=True),
    sa.Column("state", sa.String(20), nullable=False),  # running, finished
    sa.Column("action", sa.String(40), nullable=False),  # retry, approve, source-fix ...
    sa.Column("who", sa.String(100), nullable=False),
    sa.Column("started_at", sa.String(40), nullable=False),
    sa.Column("finished_at", sa.String(40)),
    sa.Column("result_json", sa.Text),  # the outcome: status, code, message, reference
)

_ENSURED: weakref.WeakSet[sa.Engine] = weakref.WeakSet()


def ensure_table(ledger: Ledger) -> None:
    """Create the table in a state database older than background resubmits."""
    if ledger.engine not in _ENSURED:  # once per engine, not on every page
        resubmits.create(ledger.engine, checkfirst=True)
        _ENSURED.add(ledger.engine)


def begin(ledger: Ledger, item_id: str, who: str, action: str) -> bool:
    """Take the item's resubmit slot; False when a resubmit of it is running already."""
    ensure_table(ledger)
    stale = (datetime.now(UTC) - timedelta(seconds=STALE_AFTER_S)).isoformat(
        timespec="milliseconds")
    values = {"state": RUNNING, "action": action, "who": who, "started_at": now(),
              "finished_at": None, "result_json": None}
    free = sa.or_(resubmits.c.state != RUNNING, resubmits.c.started_at < stale)
    with ledger.engine.begin() as db:
        taken = db.execute(resubmits.update().where(resubmits.c.item_id == item_id, free)
                           .values(**values)).rowcount
        if taken == 1:
            return True
        if db.execute(sa.select(resubmits.c.item_id)
                      .where(resubmits.c.item_id == item_id)).first():
            return False
    try:
        with ledger.engine.begin() as db:
            db.execute(resubmits.insert().values(item_id=item_id, **values))
    except sa.exc.IntegrityError:
        return False  # another click inserted it first
    return True


def finish(ledger: Ledger, item_id: str, result: dict[str, Any]) -> None:
    """Record how the background resubmit ended and free the item's slot."""
    with ledger.engine.begin() as db:
        db.execute(resubmits.update().where(resubmits.c.item_id == item_id)
                   .values(state=FINISHED, finished_at=now(), result_json=dumps(result)))


def current(ledger: Ledger, item_id: str) -> dict[str, Any] | None:
    """The item's running or last resubmit, with its result decoded; None if never."""
    ensure_table(ledger)
    query = sa.select(resubmits).where(resubmits.c.item_id == item_id)
    with ledger.engine.connect() as db:
        row = db.execute(query).mappings().first()
    if row is None:
        return None
    found = dict(row)
    found["result"] = json.loads(found.pop("result_json") or "{}")
    return found
