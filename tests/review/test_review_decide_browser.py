"""Decisions on real exceptions in a real browser: approve past a rule, the source values
read-only, retry a system failure, resubmits in the background, a second click refused.

The exceptions come from real runs of claims-intake against the fixture legacy app; the page
is served by uvicorn on loopback and driven in headless Chromium; each resubmit is the real
`runner.py exceptions retry` the page starts, keying into the same fixture app.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from fixtures.legacy_app import LegacyApp, launch
from tests.review.decide_helpers import (
    PASSWORD,
    RESULT_TIMEOUT_MS,
    USER,
    chromium,
    item_of,
    page_as,
    run_claims,
    serving,
)
from tests.review.review_helpers import unfold

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def legacy_app() -> Iterator[LegacyApp]:
    with launch(env={"LEGACY_USER": USER, "LEGACY_PASSWORD": PASSWORD}) as app:
        app.reset()
        yield app


@pytest.fixture(scope="module")
def state(legacy_app: LegacyApp, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A state folder with an AMOUNT_OVER_LIMIT claim and a LOGIN_FAILED one, from real runs."""
    base = tmp_path_factory.mktemp("decide")
    state = base / "state"
    assert run_claims(legacy_app, base / "rules", state, ["claim-10-acme-over-limit.pdf"]) == 0
    assert run_claims(legacy_app, base / "login", state, ["claim-01-acme-water.pdf"],
                      password="not-the-password") == 77
    return state


@pytest.fixture(scope="module")
def served(state: Path, legacy_app: LegacyApp) -> Iterator[str]:
    with serving(state, legacy_app) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as chrome:
        yield chrome


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
    unfold(page, "#source-form")
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
    answered = time.monotonic() - started
    print(f"approve answered in {answered:.2f} s")
    assert answered < 5  # at once (about 0.1 s idle), not after the resubmit (15 s and more)
    assert "Resubmitting since" in page.locator("#resubmitting").inner_text()
    page.wait_for_selector("#last-resubmit", timeout=RESULT_TIMEOUT_MS)  # the page polls
    assert "done, reference" in page.locator("#last-resubmit").inner_text()
    assert page.locator("#status").inner_text().startswith("done")
    page.locator("section.audit summary").click()  # the trail starts folded
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
    answered = time.monotonic() - started
    print(f"retry answered in {answered:.2f} s")
    assert answered < 5
    second.locator("#rerun-form").get_by_role("button", name="Retry").click()  # a stale tab
    second.wait_for_selector(".flash-error")
    assert "already running" in second.locator(".flash-error").inner_text()
    first.wait_for_selector("#last-resubmit", timeout=RESULT_TIMEOUT_MS)
    assert "done, reference" in first.locator("#last-resubmit").inner_text()
    assert len(legacy_app.claims()) == before + 1  # keyed once, not twice
    first.close()
    second.close()
