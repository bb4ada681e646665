"""Decisions on real exceptions in a real browser: approve past a rule, the source values
read-only, retry a system failure, resubmits in the background, a second click refused.

The exceptions come from real runs of claims-intake against the fixture legacy app; the page
is served by uvicorn on loopback and driven in headless Chromium; each resubmit is the real
`runner.py exceptions retry` the page starts, keying into the same fixture app.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from bots.ledger import Ledger
from bots.review import create_app
from bots.review.proxy import ProxyTrust
from bots.web.browser import find_browser, launch_args
from fixtures.legacy_app import LegacyApp, launch
from fixtures.recipe_copy import recipe_copy

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
CLAIMS = ROOT / "fixtures" / "claims"
USER, PASSWORD = "decide.clerk", "pw-" + secrets.token_hex(8)
RESULT_TIMEOUT_MS = 180_000  # a resubmit starts DBOS and Chromium: slow on a loaded machine


@pytest.fixture(scope="module")
def legacy_app() -> Iterator[LegacyApp]:
    with launch(env={"LEGACY_USER": USER, "LEGACY_PASSWORD": PASSWORD}) as app:
        app.reset()
        yield app


def run_claims(app: LegacyApp, folder: Path, state: Path, names: list[str],
               password: str = PASSWORD) -> int:
    """claims-intake over an inbox of the named fixture claims; its exit code."""
    inbox = folder / "inbox"
    inbox.mkdir(parents=True)
    for name in names:
        shutil.copy(CLAIMS / name, inbox / name)

    def read_inbox(data: Any) -> None:
        data["source"]["folder"] = str(inbox)

    recipe = recipe_copy(folder, "claims-intake", read_inbox)
    env = {**os.environ, "LEGACY_URL": app.url, "LEGACY_USER": USER, "LEGACY_PASSWORD": password,
           "BOTS_STATE_DIR": str(state), "BOTS_ISOLATE_NETWORK": "1"}
    return subprocess.run([sys.executable, "runner.py", "run", str(recipe)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False).returncode


@pytest.fixture(scope="module")
def state(legacy_app: LegacyApp, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A state folder with an AMOUNT_OVER_LIMIT claim and a LOGIN_FAILED one, from real runs."""
    base = tmp_path_factory.mktemp("decide")
    state = base / "state"
    assert run_claims(legacy_app, base / "rules", state, ["claim-10-acme-over-limit.pdf"]) == 0
    assert run_claims(legacy_app, base / "login", state, ["claim-01-acme-water.pdf"],
                      password="not-the-password") == 77
    return state


def item_of(state: Path, code: str) -> dict[str, Any]:
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        return next(item for item in ledger.find_items() if item["code"] == code)
    finally:
        ledger.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(state: Path, legacy_app: LegacyApp) -> Iterator[str]:
    """The review page over that state, its resubmits pointed at the fixture app (the
    page's environment is what `runner.py exceptions retry` inherits)."""
    port = _free_port()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"LEGACY_URL": legacy_app.url, "LEGACY_USER": USER,
                            "LEGACY_PASSWORD": PASSWORD, "BOTS_ISOLATE_NETWORK": "1"}.items():
            patch.setenv(name, value)
        app = create_app(f"sqlite:///{state / 'bots.sqlite'}", state, goals={},
                         allowed_hosts=["127.0.0.1"],
                         proxy=ProxyTrust.of("X-Remote-User", ["127.0.0.1"]))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.started, "the review app did not start"
        yield f"http://127.0.0.1:{port}"
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=find_browser(), headless=True,
            args=launch_args("", isolate_network=True))
        yield chromium
        chromium.close()


def page_as(browser: Browser, name: str) -> Page:
    """A browser tab signed on as `name` (through the trusted proxy header)."""
    page = browser.new_page(viewport={"width": 1366, "height": 768},
                            extra_http_headers={"X-Remote-User": name})
    return page


def test_reference_values_are_read_only_and_corrected_apart(served: str, browser: Browser,
                                                            state: Path) -> None:
    item = item_of(state, "AMOUNT_OVER_LIMIT")
    page = page_as(browser, "ana")
    page.goto(f"{served}/items/{item['item_id']}")
    correct = page.locator("#retry-form")
    assert correct.locator('input[name="claim.amount"]').count() == 1  # from the document
    assert correct.locator('input[name="claim.loss_date"]').get_attribute("type") == "date"
    assert correct.locator('[name="policy.coverage_limit"]').count() == 0  # the register's
    assert correct.locator('[name="inquiry.status"]').count() == 0  # the legacy screen's
    source = page.locator("#source-form")
    assert "policy.coverage_limit = 5000.00" in source.inner_text()
    rule = page.locator("section.reason").inner_text()
    assert "Amount claimed" in rule and "9400.00" in rule and "5000.00" in rule
    page.close()


def test_approving_past_the_rule_keys_the_claim_once_in_the_background(
        served: str, browser: Browser, state: Path, legacy_app: LegacyApp) -> None:
    item = item_of(state, "AMOUNT_OVER_LIMIT")
    before = len(legacy_app.claims())
    page = page_as(browser, "ana")
    page.goto(f"{served}/items/{item['item_id']}")
    page.locator("#approve-form").get_by_label("Reason").fill("goodwill: long-standing customer")
    started = time.monotonic()
    page.locator("#approve-form").get_by_role("button", name="Approve").click()
    page.wait_for_selector("#resubmitting")
    assert time.monotonic() - started < 1.5  # answered at once, not after the resubmit
    assert "Resubmitting since" in page.locator("#resubmitting").inner_text()
    page.wait_for_selector("#last-resubmit", timeout=RESULT_TIMEOUT_MS)  # the page polls
    assert "done, reference" in page.locator("#last-resubmit").inner_text()
    assert page.locator("#status").inner_text().startswith("done")
    audit = page.locator("section.audit").inner_text()
    assert "approve" in audit and "goodwill" in audit and "ana" in audit
    assert "AMOUNT_OVER_LIMIT" in audit and "5000.00" in audit
    keyed = [claim for claim in legacy_app.claims() if "9400" in str(claim)]
    assert len(legacy_app.claims()) == before + 1 and len(keyed) == 1
    page.close()


def test_a_system_failure_is_retried_not_corrected_and_a_second_click_is_refused(
        served: str, browser: Browser, state: Path, legacy_app: LegacyApp) -> None:
    item = item_of(state, "LOGIN_FAILED")
    before = len(legacy_app.claims())
    first, second = page_as(browser, "ana"), page_as(browser, "bob")
    for page in (first, second):
        page.goto(f"{served}/items/{item['item_id']}")
        assert page.locator("#retry-form").count() == 0  # no correction form
        assert page.locator("#approve-form").count() == 0
    started = time.monotonic()
    first.locator("#rerun-form").get_by_role("button", name="Retry").click()
    first.wait_for_selector("#resubmitting")
    assert time.monotonic() - started < 1.5
    second.locator("#rerun-form").get_by_role("button", name="Retry").click()  # a stale tab
    second.wait_for_selector(".flash-error")
    assert "already running" in second.locator(".flash-error").inner_text()
    first.wait_for_selector("#last-resubmit", timeout=RESULT_TIMEOUT_MS)
    assert "done, reference" in first.locator("#last-resubmit").inner_text()
    assert len(legacy_app.claims()) == before + 1  # keyed once, not twice
    first.close()
    second.close()
