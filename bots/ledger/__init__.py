"""The ledger: each item's status, values with provenance, exceptions, intents and audit trail.

It lives in the same database as DBOS's state (SQLite file by default, PostgreSQL to scale
out). Every text written is passed through secret redaction first.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from bots.chaos import kill_point
from bots.kernel import Outcome, WorkItem
from bots.kernel.outcome import provenance_of, values_of
from bots.ledger import claims as item_claims
from bots.ledger.claims import Fence, IsLive, ItemBusy, LostClaim
from bots.ledger.reconnect import begin, reconnecting, together
from bots.ledger.schema import ensure_schema
from bots.ledger.schema import make_engine as make_engine  # re-exported
from bots.ledger.stamp import RecipeStamp as RecipeStamp  # re-exported
from bots.ledger.tables import audit, events, intents, items, runs
from bots.secrets import redact, redact_data

CLAIM_TRIES = 10


def now() -> str:
    """The current UTC time as an ISO string, to the millisecond."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def dumps(data: Any) -> str:
    """JSON text of data with secrets masked."""
    return json.dumps(redact_data(data), default=str, sort_keys=True)


class Ledger:
    """Reads and writes the ledger tables."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        ensure_schema(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    @reconnecting
    def item_queued(self, item_id: str, recipe: str, item: WorkItem, run_id: str,
                    source: RecipeStamp | None = None) -> bool:
        """Record that an item was seen, unless the ledger knows it already; True when new.
        `source`: the recipe file it is queued from and its digest, so that retries find it."""
        with contextlib.suppress(sa.exc.IntegrityError), begin(self.engine) as db:
            if db.execute(sa.select(items.c.item_id).where(items.c.item_id == item_id)).first():
                return False  # another worker may insert it between this check and ours
            db.execute(items.insert().values(
                item_id=item_id, recipe=recipe, item_key=item.key, name=item.name,
                path=item.path, arrived_at=item.arrived_at, status="queued", run_id=run_id,
                item_json=dumps(asdict(item)), created_at=now(), updated_at=now(),
                **(source.columns() if source else {})))
            return True
        return False

    @reconnecting
    def update_item(self, item_id: str, **fields: Any) -> None:
        """Set columns of an item (JSON columns given as data are serialized and redacted)."""
        with begin(self.engine) as db:
            _set_item(db, item_id, fields)

    def together(self, writes: Callable[[], None]) -> None:
        """Run `writes` (calls of this ledger) in one transaction: one commit for them all."""
        together(self.engine, writes)

    def record_values(self, item_id: str, outputs: dict[str, Any]) -> None:
        """Keep the values found so far and where each came from, for the analysts."""
        self.update_item(item_id, values_json=values_of(outputs),
                         provenance_json=provenance_of(outputs))

    def record_outcome(self, item_id: str, outcome: Outcome) -> None:
        """Write how an item ended: status, code, reference, values, evidence."""
        self.update_item(item_id, status=outcome.status, code=outcome.code,
                         message=outcome.message, step=outcome.step,
                         reference=outcome.reference, evidence_json=outcome.evidence,
                         outputs_json=outcome.outputs, values_json=outcome.values,
                         provenance_json=outcome.provenance)

    @reconnecting
    def item(self, item_id: str) -> dict[str, Any] | None:
        """One item as a dict with its JSON columns decoded."""
        with self.engine.connect() as db:
            row = db.execute(sa.select(items).where(items.c.item_id == item_id)).mappings().first()
        return _decoded(row) if row else None

    @reconnecting
    def find_items(self, *, recipe: str | None = None, status: str | None = None,
                   prefix: str | None = None) -> list[dict[str, Any]]:
        """Items filtered by recipe, status and item id prefix, oldest first."""
        query = sa.select(items).order_by(items.c.created_at, items.c.item_id)
        if recipe:
            query = query.where(items.c.recipe == recipe)
        if status:
            query = query.where(items.c.status == status)
        if prefix:
            query = query.where(items.c.item_id.startswith(prefix))
        with self.engine.connect() as db:
            return [_decoded(row) for row in db.execute(query).mappings()]

    # --- the side-effect guard -------------------------------------------------------------

    @reconnecting
    def intent(self, item_id: str, step_id: str) -> dict[str, Any] | None:
        """The recorded intent of a side-effecting step, if any."""
        query = sa.select(intents).where(intents.c.item_id == item_id,
                                         intents.c.step_id == step_id)
        with self.engine.connect() as db:
            row = db.execute(query).mappings().first()
        return dict(row) if row else None

    @reconnecting
    def record_intent(self, item_id: str, step_id: str, fence: Fence | None = None) -> None:
        """Write, before a side effect, that it is about to happen (LostClaim, when `fence`
        is no longer the item's claim: another worker has taken the item over)."""
        existing = self.intent(item_id, step_id)
        mine = {"owner": fence.owner, "token": fence.token} if fence else {}
        with begin(self.engine) as db:
            if fence and not item_claims.holds(db, item_id, fence):
                raise LostClaim(item_id, fence)
            if existing:
                db.execute(intents.update().where(intents.c.item_id == item_id,
                                                  intents.c.step_id == step_id)
                           .values(attempts=existing["attempts"] + 1, intended_at=now(),
                                   unanswered_at=None, **mine))
            else:
                db.execute(intents.insert().values(item_id=item_id, step_id=step_id,
                                                   state="intended", intended_at=now(), **mine))

    @reconnecting
    def intent_unanswered(self, item_id: str, step_id: str) -> None:
        """Write that the side effect's attempt failed without a clear answer, and when."""
        with begin(self.engine) as db:
            db.execute(intents.update().where(intents.c.item_id == item_id,
                                              intents.c.step_id == step_id,
                                              intents.c.state == "intended")
                       .values(unanswered_at=now()))

    @reconnecting
    def confirm_intent(self, item_id: str, step_id: str, output: Any) -> None:
        """Write, after a side effect, that it happened and what it returned."""
        with begin(self.engine) as db:
            db.execute(intents.update().where(intents.c.item_id == item_id,
                                              intents.c.step_id == step_id)
                       .values(state="confirmed", confirmed_at=now(), output_json=dumps(output)))

    @reconnecting
    def clear_intent(self, item_id: str, step_id: str) -> None:
        """Forget an intent that a check proved did not take effect."""
        with begin(self.engine) as db:
            db.execute(intents.delete().where(intents.c.item_id == item_id,
                                              intents.c.step_id == step_id))

    # --- one owner per item ------------------------------------------------------------------

    def claim_item(self, item_id: str, owner: str, is_live: IsLive, **fields: Any) -> Fence:
        """Claim the item for `owner`, setting its `fields` too (ItemBusy: a live other has it)."""
        for _ in range(CLAIM_TRIES):
            try:
                with self.engine.begin() as db:
                    fence = item_claims.claim(db, item_id, owner, is_live, now())
                    if fields:
                        _set_item(db, item_id, fields)
                    return fence
            except (sa.exc.IntegrityError, sa.exc.OperationalError):
                continue  # a racing claimant wrote first: read again
        raise ItemBusy(item_id, "another worker", now())

    @reconnecting
    def release_item(self, item_id: str, fence: Fence) -> None:
        """Let the item go (a no-op when another worker has claimed it since)."""
        with begin(self.engine) as db:
            item_claims.release(db, item_id, fence)

    # --- audit and runs ----------------------------------------------------------------------

    @reconnecting
    def add_audit(self, item_id: str, who: str, action: str, *, before: Any = None,
                  after: Any = None, note: str = "") -> None:
        """Append one entry to the audit trail (it is never updated or deleted)."""
        with begin(self.engine) as db:
            db.execute(audit.insert().values(item_id=item_id, at=now(), who=who, action=action,
                                             before_json=dumps(before), after_json=dumps(after),
                                             note=redact(note)))

    @reconnecting
    def audit_trail(self, item_id: str) -> list[dict[str, Any]]:
        """An item's audit entries, oldest first."""
        query = sa.select(audit).where(audit.c.item_id == item_id).order_by(audit.c.id)
        with self.engine.connect() as db:
            return [dict(row) for row in db.execute(query).mappings()]

    @reconnecting
    def add_event(self, item_id: str, event: str, **data: Any) -> None:
        """Keep one of an item's log events beside it, for the people who review it."""
        with begin(self.engine) as db:
            db.execute(events.insert().values(item_id=item_id, at=now(), event=event,
                                              data_json=dumps(data)))

    @reconnecting
    def events(self, item_id: str) -> list[dict[str, Any]]:
        """An item's kept events, oldest first."""
        query = sa.select(events).where(events.c.item_id == item_id).order_by(events.c.id)
        with self.engine.connect() as db:
            return [_decoded(row) for row in db.execute(query).mappings()]

    @reconnecting
    def start_run(self, run_id: str, recipe: str) -> None:
        with begin(self.engine) as db:
            db.execute(runs.insert().values(run_id=run_id, recipe=recipe, started_at=now(),
                                            host=socket.gethostname(), pid=os.getpid()))

    @reconnecting
    def finish_run(self, run_id: str, exit_code: int, summary: dict[str, Any]) -> None:
        with begin(self.engine) as db:
            db.execute(runs.update().where(runs.c.run_id == run_id).values(
                finished_at=now(), exit_code=exit_code, summary_json=dumps(summary)))


def _set_item(db: sa.Connection, item_id: str, fields: dict[str, Any]) -> None:
    """Set columns of an item (JSON columns given as data are serialized and redacted)."""
    values = {k: dumps(v) if k.endswith("_json") else _clean(v) for k, v in fields.items()}
    db.execute(items.update().where(items.c.item_id == item_id)
               .values(**values, updated_at=now()))
    kill_point("ledger.write")


def _clean(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


def _decoded(row: Any) -> dict[str, Any]:
    data = dict(row)
    for key in [k for k in data if k.endswith("_json")]:
        data[key.removesuffix("_json")] = json.loads(data.pop(key) or "{}")
    return data
