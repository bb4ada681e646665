"""Every item renders: each item of real runs of both demos and of the bad-input corpus opens
on the item page (no 500) with every value it holds, whatever its shape (order lines, nested
records, sheet cells, screen reads) and where it came from.

Real runs (the demo's claims and the corpus's in one run), against the fixture legacy app in
real Chromium, made once per session (tests/review/demo_runs.py; the item layout test reads
them too); the page is the real app over the real ledger those runs wrote.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bots.review import create_app
from bots.review.proxy import ProxyTrust
from bots.review.value_rows import leaves
from tests.review.demo_runs import demo_runs, items

pytestmark = [pytest.mark.browser, pytest.mark.builds_early]  # the layout test reads it later


@pytest.fixture(scope="module")
def ledger_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One state folder holding real runs of claims-intake (over the demo's and the bad-input
    corpus's claims at once), order-entry, and order-entry over the corpus's order books."""
    return demo_runs(tmp_path_factory)


def signed_on(state: Path) -> TestClient:
    app = create_app(f"sqlite:///{state / 'bots.sqlite'}", state, goals={},
                     proxy=ProxyTrust.of("X-Remote-User", ["127.0.0.1"]))
    return TestClient(app, client=("127.0.0.1", 50000), headers={"X-Remote-User": "ana"})


def test_the_runs_left_exceptions_of_every_shape(ledger_state: Path) -> None:
    found = items(ledger_state)
    codes = {(item["recipe"], item["code"]) for item in found if item["code"]}
    assert ("order-entry", "PRODUCT_NOT_FOUND") in codes
    assert ("claims-intake", "AMOUNT_OVER_LIMIT") in codes
    assert len([item for item in found if item["status"] == "exception"]) >= 25
    assert any(isinstance(fields.get("lines"), list) for item in found
               for fields in (item["values"] or {}).values() if isinstance(fields, dict))


def test_every_item_opens_with_every_value_and_its_source(ledger_state: Path) -> None:
    failures = []
    with signed_on(ledger_state) as client:
        for item in items(ledger_state):
            page = client.get(f"/items/{item['item_id']}")
            if page.status_code != 200:
                failures.append(f"{item['name']} ({item['code']}): HTTP {page.status_code}")
                continue
            text = html.unescape(page.text)
            for step, fields in (item["values"] or {}).items():
                provenance = (item["provenance"] or {}).get(step)
                for path, value, _ in leaves(fields, provenance):
                    if ("" if value is None else str(value)) not in text:
                        failures.append(f"{item['name']}: {step}.{path} = {value!r} not shown")
    assert not failures, "\n".join(failures[:40])


def test_order_lines_show_each_line_with_its_sheet_row_or_page_box(ledger_state: Path) -> None:
    order = next(item for item in items(ledger_state) if item["code"] == "PRODUCT_NOT_FOUND"
                 and item["path"].endswith(".xlsx"))
    with signed_on(ledger_state) as client:
        page = client.get(f"/items/{order['item_id']}").text
    assert "lines[1].product_code" in page and "lines[2].quantity" in page
    assert "Order Lines row" in page
