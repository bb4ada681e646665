"""Every item renders: each item of real runs of both demos and of the bad-input corpus opens
on the item page (no 500) with every value it holds, whatever its shape (order lines, nested
records, sheet cells, screen reads) and where it came from.

Real runs (module-scoped; the demo's claims and the corpus's in one run), against the fixture
legacy app in real Chromium; the page is the real app over the real ledger those runs wrote.
"""

from __future__ import annotations

import html
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from bots.ledger import Ledger
from bots.review import create_app
from bots.review.proxy import ProxyTrust
from bots.review.value_rows import leaves
from fixtures.legacy_app import LegacyApp, launch
from fixtures.recipe_copy import recipe_copy

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "fixtures" / "bad_inputs"
USER, PASSWORD = "render.clerk", "pw-" + secrets.token_hex(8)


@pytest.fixture(scope="module")
def legacy_app() -> Iterator[LegacyApp]:
    with launch(env={"LEGACY_USER": USER, "LEGACY_PASSWORD": PASSWORD}) as app:
        app.reset()
        yield app


def run(app: LegacyApp, state: Path, recipe: str, ok: tuple[int, ...] = (0, 1)) -> None:
    """`runner.py run RECIPE` at the project root, its state in `state`; exit 2 is allowed
    where a bad workbook refuses the run before any item (nothing to show)."""
    env = {**os.environ, "LEGACY_URL": app.url, "LEGACY_USER": USER,
           "LEGACY_PASSWORD": PASSWORD, "BOTS_STATE_DIR": str(state),
           "BOTS_ISOLATE_NETWORK": "1"}
    done = subprocess.run([sys.executable, "runner.py", "run", recipe], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode in ok, done.stderr[-3000:]


def bad_order_books(data: Any) -> None:
    """order-entry reading every bad order book of the corpus, one source each."""
    workbook = data["sources"][0]
    data["sources"] = [{**workbook, "name": f"book{index}",
                        "sheet": {**workbook["sheet"], "path": str(path)}}
                       for index, path in enumerate(sorted((BAD / "sheets").glob("orders-*.xlsx")))]


def every_claim(inbox: Path) -> Callable[[Any], None]:
    """claims-intake reading one inbox that holds the demo's claims and the bad-input corpus's
    (one run instead of two: a runner start and a browser fewer, the same items)."""
    inbox.mkdir()
    for folder in (ROOT / "fixtures" / "claims", BAD / "claims"):
        for path in folder.iterdir():
            if path.is_file():
                shutil.copy(path, inbox / path.name)

    def change(data: Any) -> None:
        data["source"]["folder"] = str(inbox)
    return change


@pytest.fixture(scope="module")
def ledger_state(legacy_app: LegacyApp, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One state folder holding real runs of claims-intake (over the demo's and the bad-input
    corpus's claims at once), order-entry, and order-entry over the corpus's order books."""
    state = tmp_path_factory.mktemp("every-item") / "state"
    copies = state.parent
    run(legacy_app, state, str(recipe_copy(copies, "claims-intake",
                                           every_claim(copies / "claims-inbox"))))
    run(legacy_app, state, "order-entry")
    run(legacy_app, state, str(recipe_copy(copies, "order-entry", bad_order_books,
                                           file_name="orders-bad.yaml")), ok=(0, 1, 2))
    return state


def items(state: Path) -> list[dict[str, Any]]:
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        return ledger.find_items()
    finally:
        ledger.close()


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
