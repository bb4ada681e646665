"""The short IDs `exceptions` prints name one item each, whatever the keys look like: content
hashes, sheet keys that share a long start, a key that starts another, one key in two recipes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bots.commands.common import database_url
from bots.ledger import Ledger
from bots.ledger.actions import ActionError, find_item
from bots.ledger.item_ids import MIN_WIDTH, matching, short_ids
from tests.review.review_helpers import add_item


def rows(*ids: str) -> list[dict[str, str]]:
    """Ledger-like rows from `recipe/key` ids."""
    made = []
    for item_id in ids:
        recipe, key = item_id.split("/", 1)
        made.append({"item_id": item_id, "recipe": recipe, "item_key": key, "name": key,
                     "status": "exception"})
    return made


def test_every_printed_id_names_its_own_item_and_no_other() -> None:
    chance = random.Random(12)
    hashes = [f"{chance.getrandbits(96):024x}" for _ in range(300)]
    twins = ["4307fdcc9f" + h[10:] for h in hashes[:5]]  # share the first ten characters
    sheet = [f"workbook-DC-77{n:02d}" for n in range(40)] + ["workbook-DC-7", "workbook-D"]
    everyone = rows(*(f"claims/{k}" for k in hashes + twins),
                    *(f"orders/{k}" for k in sheet), "orders/" + hashes[0], "other/short")
    printed = short_ids(everyone, everyone)
    for row in everyone:
        assert matching(printed[row["item_id"]], everyone) == [row], printed[row["item_id"]]
    assert all(len(printed[r["item_id"]]) == MIN_WIDTH for r in everyone[5:300])
    assert len(printed["claims/" + twins[0]]) > MIN_WIDTH
    assert printed["orders/workbook-DC-7"] == "workbook-DC-7"  # a key that starts others
    assert printed["orders/workbook-DC-7711"] == "workbook-DC-7711"  # a business key: whole
    assert printed["claims/" + hashes[0]].startswith("claims/")  # the same file in two recipes


def test_a_start_shared_by_several_items_names_none() -> None:
    everyone = rows("orders/workbook-DC-7702", "orders/workbook-DC-7711")
    assert len(matching("workbook-D", everyone)) == 2
    assert matching("orders/workbook-DC-7711", everyone) == everyone[1:]


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ledger:
    monkeypatch.setenv("BOTS_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("BOTS_DATABASE_URL", raising=False)
    return Ledger(database_url())


def test_a_refused_id_lists_the_items_it_could_mean(ledger: Ledger) -> None:
    for po in ("DC-7702", "DC-7711", "DC-7741"):
        add_item(ledger, "order-entry", f"workbook-{po}", f"orders.xlsx {po}", "/o.xlsx",
                 status="exception", code="PRODUCT_NOT_FOUND", step="key", message="no")
    with pytest.raises(ActionError) as refused:
        find_item(ledger, "workbook-DC-77")
    assert "3 items match 'workbook-DC-77'" in refused.value.message
    assert "workbook-DC-7711 (order-entry, orders.xlsx DC-7711, exception)" in refused.value.message
    assert find_item(ledger, "workbook-DC-7711")["name"] == "orders.xlsx DC-7711"
    with pytest.raises(ActionError, match="no item matches 'zzz'"):
        find_item(ledger, "zzz")
    ledger.close()
