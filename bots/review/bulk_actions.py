"""What a bulk action does to each ticked item, and what it refuses before asking to confirm.

assign: to an account of this page (or the signed-on person: ``me``); reject: with a reason;
retry: system failures only, each run again in the background (bots.review.decide). Every item
must be open; each is authorized as the item page would (bots.review.roles) and audited in the
signed-on person's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from bots.kernel.errors import BotError
from bots.ledger import Ledger, actions, people
from bots.review import decide, roles
from bots.review.decisions import SYSTEM_CODES
from bots.review.state import ReviewState

MAX_SELECTED = 200  # one click, one answer: a larger batch is `runner.py exceptions retry --all`
BULK_ACTIONS = {"assign": "Assign", "retry": "Retry", "reject": "Reject"}
ROLE_ACTION = {"assign": "assign", "retry": "rerun", "reject": "reject"}  # as roles knows them


@dataclass(frozen=True)
class BulkAsk:
    """One bulk action as the form asked it: what, on which items, to whom or why, by whom,
    and the queue query to go back to."""

    action: str
    items: list[str]
    to: str = ""
    reason: str = ""
    who: str = ""
    back: dict[str, str] = field(default_factory=dict)

    @property
    def assignee(self) -> str:
        return self.who if self.to in ("", "me") else self.to


def problem(ask: BulkAsk, review: ReviewState) -> str | None:
    """Why the ask cannot even be confirmed (nothing ticked, no reason, unknown person...)."""
    if not ask.who:
        return "Sign on first: the page acts in a signed-on person's name."
    if ask.action not in BULK_ACTIONS:
        return f"Choose an action ({', '.join(BULK_ACTIONS)}) for the ticked items."
    if not ask.items:
        return "Tick the items first."
    if len(ask.items) > MAX_SELECTED:
        return (f"{len(ask.items)} items ticked; at most {MAX_SELECTED} at once "
                "(`python runner.py exceptions retry --all` for a larger retry)")
    if ask.action == "reject" and not ask.reason:
        return "Rejecting needs a reason: say why these items should not be processed."
    if ask.action == "assign" and ask.assignee not in assignable(review, ask.who):
        return (f"'{ask.assignee}' has no account on this page; assign to one of: "
                f"{', '.join(assignable(review, ask.who))}.")
    return None


def assignable(review: ReviewState, me: str) -> list[str]:
    """The people items can be assigned to: the enabled accounts, and whoever is signed on."""
    names = [account.name for account in people.accounts(review.ledger.engine)
             if not account.disabled]
    return sorted({*names, me} - {""})


def chosen_items(ledger: Ledger, item_ids: list[str]) -> list[dict[str, Any]]:
    """The ticked items as the confirmation lists them (an unknown id is listed as such)."""
    chosen = []
    for item_id in dict.fromkeys(item_ids):
        item = ledger.item(item_id)
        chosen.append({"item_id": item_id, "name": item["name"] if item else item_id,
                       "recipe": item["recipe"] if item else "-",
                       "code": (item or {}).get("code") or "-", "known": item is not None,
                       "system": bool(item) and (item or {}).get("code") in SYSTEM_CODES})
    return chosen


async def carry_out(request: Request, ask: BulkAsk, review: ReviewState) -> tuple[str, str]:
    """Do the confirmed action on each ticked item; (flash kind, one message for all)."""
    allowed, refused = [], []
    for item_id in dict.fromkeys(ask.items):
        why = await roles.refusal(request, ROLE_ACTION[ask.action], item_id, review)
        if why:
            refused.append(f"{item_id}: {why}")
        else:
            allowed.append(item_id)
    if ask.action == "retry":
        kind, text = await decide.bulk_retry(allowed, ask.who, review) if allowed else ("error", "")
    else:
        kind, text = await run_in_threadpool(_close_or_assign, ask, allowed, review.ledger)
    if refused:
        text = f"{text} Refused: {'; '.join(refused)}.".strip()
    return kind, text


def _close_or_assign(ask: BulkAsk, item_ids: list[str], ledger: Ledger) -> tuple[str, str]:
    done, left = [], []
    for item_id in item_ids:
        try:
            item = actions.open_item(ledger, item_id)
            if ask.action == "assign":
                actions.assign(ledger, item["item_id"], ask.who, ask.assignee)
            else:
                actions.reject(ledger, item["item_id"], ask.who, ask.reason)
            done.append(item["name"])
        except BotError as error:
            left.append(error.message)
    verb = f"Assigned to {ask.assignee}" if ask.action == "assign" else "Rejected"
    text = f"{verb}: {len(done)} item(s)."
    if left:
        text += f" Left alone: {'; '.join(left)}."
    return ("ok" if done else "error"), text
