"""Approvals: a person lets an exception item go on past the business rule that stopped it.

An approval names the rule (its code, name, the value and the bound it failed) and the
reason. Below the recipe's threshold it applies at once; above it, it waits (``pending``) for
a second person, who may not be the one who asked (four eyes). The codes applied are what a
resubmit carries: ``data.check_rules`` counts a failing rule with such a code as passed, with
the override recorded in its output. Every request and decision is in the audit trail.
"""

from __future__ import annotations

import json
import weakref
from typing import Any

import sqlalchemy as sa

from bots.ledger import Ledger, dumps, now
from bots.ledger.actions import ActionError, open_item
from bots.ledger.tables import metadata

PENDING, APPLIED = "pending", "applied"

approvals = sa.Table(
    "bots_approvals", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("item_id", sa.String(200), nullable=False, index=True),
    sa.Column("code", sa.String(60), nullable=False),  # the exception code overridden
    sa.Column("step", sa.String(60)),
    sa.Column("rule_json", sa.Text, nullable=False, default="{}"),  # name, value, bound
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("state", sa.String(20), nullable=False),  # pending, applied
    sa.Column("requested_by", sa.String(100), nullable=False),
    sa.Column("requested_at", sa.String(40), nullable=False),
    sa.Column("confirmed_by", sa.String(100)),  # the second person, when one was needed
    sa.Column("confirmed_at", sa.String(40)),
)

_ENSURED: weakref.WeakSet[sa.Engine] = weakref.WeakSet()


def ensure_table(ledger: Ledger) -> None:
    """Create the table in a state database older than approvals."""
    if ledger.engine not in _ENSURED:  # once per engine, not on every page
        approvals.create(ledger.engine, checkfirst=True)
        _ENSURED.add(ledger.engine)


def request_approval(ledger: Ledger, item_id: str, who: str, reason: str,
                     rule: dict[str, Any], *, needs_second: bool) -> str:
    """Record an override of the rule the item stopped at: APPLIED, or PENDING when a second
    person must confirm it. Only the code the item stopped with can be approved."""
    ensure_table(ledger)
    item = open_item(ledger, item_id)
    code = str(rule.get("code") or "")
    if not reason.strip():
        raise ActionError("an approval needs a reason (why the rule may be passed this time)")
    if code != item["code"]:
        raise ActionError(f"only the code the item stopped with ({item['code']}) can be "
                          f"approved, not {code or 'nothing'}")
    waiting = pending(ledger, item["item_id"])
    if waiting:
        raise ActionError(f"an approval of {waiting['code']} is already waiting for a second "
                          f"person (requested by {waiting['requested_by']})")
    state = PENDING if needs_second else APPLIED
    with ledger.engine.begin() as db:
        db.execute(approvals.insert().values(
            item_id=item["item_id"], code=code, step=item["step"], rule_json=dumps(rule),
            reason=reason.strip(), state=state, requested_by=who, requested_at=now()))
    action = "approve" if state == APPLIED else "approval-requested"
    ledger.add_audit(item["item_id"], who, action, before={"code": code}, after=rule,
                     note=reason.strip())
    return state


def confirm_approval(ledger: Ledger, item_id: str, who: str) -> dict[str, Any]:
    """The second person's confirmation of a pending approval; refused to its requester."""
    ensure_table(ledger)
    item = open_item(ledger, item_id)
    waiting = pending(ledger, item["item_id"])
    if not waiting:
        raise ActionError("no approval of this item is waiting for confirmation")
    if who.strip().casefold() == waiting["requested_by"].strip().casefold():
        raise ActionError(f"{who} requested this approval; a second person must confirm it "
                          "(four eyes)")
    with ledger.engine.begin() as db:
        done = db.execute(approvals.update().where(approvals.c.id == waiting["id"],
                                                   approvals.c.state == PENDING)
                          .values(state=APPLIED, confirmed_by=who, confirmed_at=now()))
    if done.rowcount != 1:
        raise ActionError("the approval was confirmed by someone else meanwhile")
    ledger.add_audit(item["item_id"], who, "approval-confirmed", before={"state": PENDING},
                     after={"state": APPLIED, "code": waiting["code"]},
                     note=f"requested by {waiting['requested_by']}: {waiting['reason']}")
    return {**waiting, "state": APPLIED, "confirmed_by": who}


def pending(ledger: Ledger, item_id: str) -> dict[str, Any] | None:
    """The approval of this item waiting for a second person, if any."""
    waiting = [row for row in item_approvals(ledger, item_id) if row["state"] == PENDING]
    return waiting[-1] if waiting else None


def overrides(ledger: Ledger, item_id: str) -> frozenset[str]:
    """The codes approved for this item: what its resubmit passes with an override."""
    return frozenset(row["code"] for row in item_approvals(ledger, item_id)
                     if row["state"] == APPLIED)


def item_approvals(ledger: Ledger, item_id: str) -> list[dict[str, Any]]:
    """Every approval of the item, oldest first, with its rule decoded."""
    ensure_table(ledger)
    query = sa.select(approvals).where(approvals.c.item_id == item_id).order_by(approvals.c.id)
    with ledger.engine.connect() as db:
        rows = [dict(row) for row in db.execute(query).mappings()]
    for row in rows:
        row["rule"] = _decoded(row.pop("rule_json"))
    return rows


def _decoded(raw: str | None) -> dict[str, Any]:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
