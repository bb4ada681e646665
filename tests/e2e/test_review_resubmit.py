"""The analyst's page end to end: correct a value in a real Chromium, resubmit, and the claim
is in the fixture app's database exactly once, the item gone from the queue with its audit."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from playwright.sync_api import sync_playwright

from bots.ledger import Ledger, people
from bots.review import create_app
from bots.web.browser import find_browser, launch_args
from tests.e2e.runner_support import CLAIMS, PASSWORD, USER, run_runner, write_recipe
from tests.review.review_helpers import PASSWORD as ACCOUNT_PASSWORD
from tests.review.review_helpers import sign_on_page, unfold

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def review_page(app, tmp_path, monkeypatch) -> Iterator[str]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(CLAIMS / "claim-10-acme-over-limit.pdf", inbox)
    state = tmp_path / "state"
    assert run_runner(app, state, str(write_recipe(tmp_path, inbox))).summary["done"] == 0
    for name, value in {"LEGACY_URL": app.url, "LEGACY_USER": USER, "LEGACY_PASSWORD": PASSWORD,
                        "BOTS_STATE_DIR": str(state), "BOTS_ISOLATE_NETWORK": "1"}.items():
        monkeypatch.setenv(name, value)  # the page's resubmit runs the runner with its env
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    people.add_user(ledger.engine, "ana", "analyst", ACCOUNT_PASSWORD)  # who signs on
    ledger.close()
    port = free_port()
    page_app = create_app(f"sqlite:///{state / 'bots.sqlite'}", state, goals={},
                          allowed_hosts=["127.0.0.1"])
    server = uvicorn.Server(uvicorn.Config(page_app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the review page did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_correct_a_value_and_resubmit_from_the_page(app, review_page):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_browser(), headless=True,
                                             args=launch_args("", isolate_network=True))
        page = browser.new_page()
        sign_on_page(page, review_page, "ana", ACCOUNT_PASSWORD)
        page.goto(review_page + "/")
        page.get_by_role("link", name="claim-10-acme-over-limit.pdf").click()
        assert "AMOUNT_OVER_LIMIT" in page.content()
        unfold(page, "#retry-form")  # a rule stopped it: the approval is the open action
        form = page.locator("#retry-form")
        form.locator('input[name="claim.amount"]').fill("4900.00")
        form.get_by_role("button", name="Resubmit").click()
        page.wait_for_selector("#resubmitting")  # answered at once; the page polls
        page.wait_for_selector("#last-resubmit", timeout=180_000)
        assert "done" in page.locator("#last-resubmit").inner_text()
        audit = page.locator("section.audit").inner_text()
        assert "retry" in audit and "ana" in audit  # the signed-on person, never typed
        page.get_by_role("link", name="Queue").first.click()
        assert "claim-10-acme-over-limit.pdf" not in page.content()
        browser.close()
    [claim] = app.claims()
    assert claim["amount"] == "4900.00" and claim["policy_number"] == "POL-104026"
