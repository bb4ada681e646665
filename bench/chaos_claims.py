"""Claim PDFs for chaos scenarios: valid ones (fixtures.make_soak) and ones a person must fix.

A "fixable" claim is a soak claim whose policy number is not in the register: the bot routes it
to the exception queue (POLICY_NOT_FOUND), and `exceptions retry ID --set
claim.policy_number=<the right one>` makes it pass. Its bytes differ from every valid claim's,
so it has its own work-item key and its own external reference.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from bots.ledger import Ledger
from fixtures.make_soak import soak_claims, write_claims

UNKNOWN_POLICY = "POL-9{:05d}"  # the register has no POL-9xxxxx


@dataclass(frozen=True)
class Fixable:
    """A claim file the bot cannot key as it is, and the correction that makes it pass."""

    path: Path
    correction: str  # STEP.FIELD=VALUE for `exceptions retry --set`


def write_valid(inbox: Path, count: int) -> list[Path]:
    """`count` distinct valid claims in `inbox`."""
    return write_claims(inbox, count)


def write_fixable(inbox: Path, count: int, first: int = 1000) -> list[Fixable]:
    """`count` claims with an unknown policy number, numbered from `first` so that they never
    share bytes with the valid ones."""
    inbox.mkdir(parents=True, exist_ok=True)
    made: list[Fixable] = []
    for name, make, item in soak_claims(first + count)[first:]:
        path = inbox / name.replace("soak-", "fixable-")
        wrong = replace(item, policy=UNKNOWN_POLICY.format(len(made) + 1))
        path.write_bytes(make(wrong))
        made.append(Fixable(path, f"claim.policy_number={item.policy}"))
    return made


def open_exceptions(database_url: str) -> dict[str, str]:
    """Open exception items of the state database: file name -> item id for `exceptions`."""
    ledger = Ledger(database_url)
    try:
        rows = ledger.find_items(status="exception")
    finally:
        ledger.close()
    return {row["name"]: row["item_key"] for row in rows if row["review_state"] == "open"}
