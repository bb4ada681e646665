"""The queue in a real headless Chromium at 1366x768, signed on through the form: search,
status views, sorting, the CSV download, and bulk assign and reject through the confirmation,
with the audit trail naming the signed-on person."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from bots.review import create_app
from bots.review.ground import missing_settings
from tests.review.decide_helpers import chromium
from tests.review.review_helpers import (
    ROOT,
    StateFolder,
    build_state,
    keep_shot,
    on_loopback,
    sign_on_page,
)

pytestmark = pytest.mark.browser
SCREEN: ViewportSize = {"width": 1366, "height": 768}


def in_hours(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat(timespec="seconds")


@pytest.fixture(scope="module")
def queue_state(tmp_path_factory: pytest.TempPathFactory) -> StateFolder:
    """The review tests' state, its open items arrived 3 days, 5 hours and 20 minutes ago,
    one due soon and one overdue."""
    state = build_state(tmp_path_factory.mktemp("queue") / "state")
    ledger = state.ledger()
    try:
        ledger.update_item(state.ids["over_limit"], due_at=in_hours(2.5),
                           arrived_at=in_hours(-72))
        ledger.update_item(state.ids["hostile"], due_at=in_hours(-0.7), arrived_at=in_hours(-5))
        ledger.update_item(state.ids["web"], arrived_at=in_hours(-1 / 3))
    finally:
        ledger.close()
    return state


@pytest.fixture(scope="module")
def served(queue_state: StateFolder) -> Iterator[str]:
    """The app on loopback, configured with stand-ins for the recipes' settings (a server
    lacking them says so above the queue)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in {n for names in missing_settings(ROOT / "recipes").values() for n in names}:
            patch.setenv(name, "http://127.0.0.1:9" if name.endswith("_URL") else "stand-in")
        yield from _served(queue_state)


def _served(queue_state: StateFolder) -> Iterator[str]:
    app = create_app(queue_state.url, queue_state.path, goals={},
                     allowed_hosts=["127.0.0.1", "localhost"])
    with on_loopback(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, served: str) -> Iterator[Page]:
    context = browser.new_context(viewport=SCREEN, accept_downloads=True)
    page = context.new_page()
    sign_on_page(page, served, "ana")
    yield page
    context.close()


def names(page: Page) -> list[str]:
    return page.locator("table.queue tbody td.name").all_inner_texts()


def test_search_views_sort_and_the_csv_of_what_is_shown(page: Page, served: str,
                                                        tmp_path: Path) -> None:
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 3 and "3 of 3 open item(s)" in page.locator(".summary").inner_text()
    assert names(page) == ["claim-10-acme-over-limit.pdf", "evil<script>alert(1)</script>.pdf",
                           "order-77"]  # the oldest first
    assert [rows.nth(n).locator("td.when span").first.inner_text() for n in range(3)] == [
        "3 days ago", "5 hours ago", "20 minutes ago"]
    assert page.locator(".missing-env").count() == 0
    page.get_by_role("link", name="Due").click()
    page.wait_for_url("**sort=due**")
    assert "overdue by 4" in rows.first.inner_text()  # 42 minutes: the overdue one comes first
    assert "due in 2 hours" in rows.nth(1).inner_text()
    assert rows.first.locator("td.when span").nth(1).get_attribute("title", timeout=2000)
    assert page.locator("th[aria-sort=ascending]").inner_text().startswith("Due")
    page.get_by_role("link", name="Due ▲").click()
    page.wait_for_url("**dir=desc**")
    assert "due in 2 hours" in rows.first.inner_text()
    reason = rows.first.locator("td.reason .message")
    assert reason.get_attribute("title") == "9400.00 EUR exceeds the coverage limit 5000.00"
    page.get_by_label("Search").fill("A1A1A1A1")
    page.get_by_label("Search").press("Enter")
    page.wait_for_url("**q=A1A1A1A1**")
    assert names(page) == ["claim-10-acme-over-limit.pdf"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename.startswith("queue-open-")
    table = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert [(r["item"], r["code"], r["due"]) for r in table] == [
        ("claim-10-acme-over-limit.pdf", "AMOUNT_OVER_LIMIT", "due in 2 hours")]
    page.get_by_role("link", name="clear").click()
    page.get_by_role("link", name="Done").click()
    assert names(page) == ["done.pdf"]
    done = page.locator("table.queue tbody tr").first.inner_text()
    assert "the bot" in done and "reference CLM-1" in done
    page.get_by_label("Search").fill("clm-1")  # the reference keyed
    page.get_by_label("Search").press("Enter")
    page.wait_for_url("**q=clm-1**")
    assert names(page) == ["done.pdf"]
    page.get_by_role("link", name="Resolved").click()  # the search goes along
    assert "Nothing to review with these filters" in page.locator(".empty").inner_text()
    page.get_by_role("link", name="clear").click()
    assert names(page) == ["old.pdf"]

def tick_and_ask(page: Page, items: list[str], action: str, **fields: str) -> None:
    for name in items:
        page.get_by_label(f"select {name}").check()
    page.get_by_label("Action").select_option(action)
    if "to" in fields:
        page.get_by_label("Assign to").select_option(fields["to"])
    if "reason" in fields:
        page.get_by_label("Reason (reject)").fill(fields["reason"])
    page.get_by_role("button", name="Review and confirm…").click()
    page.wait_for_url("**/bulk")


def test_bulk_assign_and_reject_after_one_confirmation_audited_as_ana(
        page: Page, served: str, queue_state: StateFolder) -> None:
    keep_shot(page, "review-queue")
    claim, hostile = "claim-10-acme-over-limit.pdf", "evil<script>alert(1)</script>.pdf"
    tick_and_ask(page, [claim, hostile], "assign", to="me")
    confirm = page.locator(".bulk-confirm")
    assert "Assign 2 item(s)?" in confirm.inner_text() and hostile in confirm.inner_text()
    keep_shot(page, "review-queue-bulk-confirm")
    page.get_by_role("button", name="Confirm: assign 2 item(s)").click()
    assert "Assigned to ana: 2 item(s)." in page.locator(".flash").inner_text()
    page.get_by_role("link", name="Mine").click()
    assert sorted(names(page)) == sorted([claim, hostile])
    tick_and_ask(page, [hostile], "reject", reason="a test file, never a claim")
    assert "a test file, never a claim" in page.locator(".bulk-confirm").inner_text()
    page.get_by_role("button", name="Confirm: reject 1 item(s)").click()
    assert "Rejected: 1 item(s)." in page.locator(".flash").inner_text()
    assert names(page) == [claim]  # back to the Mine view, the rejected one gone from it
    page.get_by_role("link", name="Rejected").click()
    closed = page.locator("table.queue tbody tr").first.inner_text()
    assert "ana" in closed and "rejected: a test file, never a claim" in closed
    page.get_by_role("link", name=hostile).click()
    page.locator("section.audit summary").click()  # the trail starts folded
    audit = page.locator("section.audit").inner_text()
    assert "ana" in audit and "assign" in audit and "reject" in audit
