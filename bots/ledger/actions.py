"""What analysts do to an exception item, each written to the append-only audit trail."""

from __future__ import annotations

from typing import Any

from bots.kernel.errors import BotError
from bots.ledger import Ledger, item_ids

OPEN, RESOLVED, REJECTED = "open", "resolved", "rejected"


class ActionError(BotError):
    """An action that cannot be done (unknown item, item not open, bad value)."""

    code = "ACTION_REFUSED"


def open_item(ledger: Ledger, item_id: str) -> dict[str, Any]:
    """The item, which must be an open exception."""
    item = find_item(ledger, item_id)
    if item["status"] != "exception" or item["review_state"] != OPEN:
        raise ActionError(f"item {item['name']} is {item['status']} ({item['review_state']}); "
                          "only open exceptions can be changed")
    return item


def find_item(ledger: Ledger, ident: str) -> dict[str, Any]:
    """An item by its full id or a short ID as `exceptions` shows it (bots.ledger.item_ids)."""
    exact = ledger.item(ident)
    if exact:
        return exact
    everyone = ledger.find_items()
    matches = item_ids.matching(ident, everyone)
    if len(matches) != 1:
        raise ActionError(item_ids.not_one(ident, matches, everyone))
    return matches[0]


def assign(ledger: Ledger, item_id: str, who: str, assignee: str) -> None:
    item = find_item(ledger, item_id)
    ledger.update_item(item["item_id"], assignee=assignee)
    ledger.add_audit(item["item_id"], who, "assign", before={"assignee": item["assignee"]},
                     after={"assignee": assignee})


def comment(ledger: Ledger, item_id: str, who: str, text: str) -> None:
    if not text.strip():
        raise ActionError("a comment needs some text")
    ledger.add_audit(find_item(ledger, item_id)["item_id"], who, "comment", note=text)


def resolve(ledger: Ledger, item_id: str, who: str, reference: str, note: str = "") -> None:
    """Close an exception that a person finished by hand, with the reference they keyed."""
    if not reference.strip():
        raise ActionError("resolving by hand needs the reference keyed in the target system")
    item = open_item(ledger, item_id)
    ledger.update_item(item["item_id"], review_state=RESOLVED, reference=reference.strip())
    ledger.add_audit(item["item_id"], who, "resolve", before=_state(item),
                     after={"review_state": RESOLVED, "reference": reference.strip()}, note=note)


def reject(ledger: Ledger, item_id: str, who: str, reason: str) -> None:
    """Close an exception that should not be processed at all, with the reason."""
    if not reason.strip():
        raise ActionError("rejecting needs a reason")
    item = open_item(ledger, item_id)
    ledger.update_item(item["item_id"], review_state=REJECTED)
    ledger.add_audit(item["item_id"], who, "reject", before=_state(item),
                     after={"review_state": REJECTED}, note=reason)


def _state(item: dict[str, Any]) -> dict[str, Any]:
    return {"review_state": item["review_state"], "code": item["code"],
            "reference": item["reference"]}
