"""One owner per item at a time: a claim in the database before anyone touches an item.

A batch's workflow, a recovered one and an analyst's resubmit each claim the item first. A claim
held by a live worker refuses the others (a resubmit is refused at once, a workflow waits); a
claim whose owner is gone is taken over. Every claim bumps the item's token, and the side-effect
intent is recorded only while the token is still the writer's (``Fence``): a worker that lost
its claim to another can no longer start a submit.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from bots.kernel.errors import BotError
from bots.ledger.tables import claims

IsLive = Callable[[str], bool]  # whether a worker (executor id) still runs


@dataclass(frozen=True)
class Fence:
    """A claim as its holder knows it: the owner and the token it got."""

    owner: str
    token: int


class ItemBusy(BotError):
    """Another live worker works the item now."""

    def __init__(self, item_id: str, owner: str, since: str | None) -> None:
        super().__init__(f"item {item_id} is being worked right now by '{owner}' (since "
                         f"{since or '?'}); wait until it ends, then try again",
                         code="ITEM_BUSY", owner=owner)


class LostClaim(asyncio.CancelledError):
    """The item was claimed by another worker since this one did: stop, record nothing.

    A cancellation, so that the run ends as a stopped one does (pending, nothing written):
    the item's outcome is the new owner's to record.
    """

    def __init__(self, item_id: str, fence: Fence) -> None:
        super().__init__(f"item {item_id} was taken over by another worker; '{fence.owner}' "
                         "stops working it")


def claim(db: sa.Connection, item_id: str, owner: str, is_live: IsLive, at: str) -> Fence:
    """Claim the item for `owner` (ItemBusy when a live other holds it); the new fence.

    Compare-and-set on the token, so two claimants racing on any database get one winner.
    """
    row = db.execute(sa.select(claims).where(claims.c.item_id == item_id)).mappings().first()
    if row is None:
        db.execute(claims.insert().values(item_id=item_id, owner=owner, token=1, claimed_at=at))
        return Fence(owner, 1)
    holder = row["owner"]
    if holder and holder != owner and is_live(holder):
        raise ItemBusy(item_id, holder, row["claimed_at"])
    won = db.execute(claims.update().where(claims.c.item_id == item_id,
                                           claims.c.token == row["token"])
                     .values(owner=owner, token=row["token"] + 1, claimed_at=at))
    if won.rowcount != 1:
        raise ItemBusy(item_id, "another worker", at)
    return Fence(owner, row["token"] + 1)


def holds(db: sa.Connection, item_id: str, fence: Fence) -> bool:
    """Whether `fence` is still the item's current claim."""
    row = db.execute(sa.select(claims.c.owner, claims.c.token)
                     .where(claims.c.item_id == item_id)).first()
    return row is not None and (row[0], row[1]) == (fence.owner, fence.token)


def release(db: sa.Connection, item_id: str, fence: Fence) -> None:
    """Let the item go, if the claim is still ours."""
    with contextlib.suppress(sa.exc.DBAPIError):
        db.execute(claims.update().where(claims.c.item_id == item_id,
                                         claims.c.token == fence.token)
                   .values(owner=None))
