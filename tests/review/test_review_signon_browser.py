"""Sign-on in a real browser: headless Chromium against the review page served on loopback."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.review.review_helpers import StateFolder, keep_shot, sign_on_page, unfold
from tests.review.test_review_browser import browser, served

__all__ = ["browser", "served"]  # the fixtures, shared with the page's other browser tests


def test_sign_on_is_required_and_a_wrong_password_refused(served: str, browser: Browser,
                                                          state: StateFolder) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(served + f"/items/{state.ids['web']}")
    assert "/signon" in page.url and page.get_by_label("Password").is_visible()
    sign_on_page(page, served, "ana", "not her password")
    assert "Wrong name or password" in page.locator("[role=alert]").inner_text()
    keep_shot(page, "review-signon-refused")
    assert page.locator("table.queue").count() == 0
    sign_on_page(page, served, "ana")
    assert page.locator("table.queue tbody tr").count() == 3
    assert "ana" in page.locator("header .who").inner_text()
    assert "Ledger: SQLite" in page.locator("footer").inner_text()


def test_the_audit_trail_names_the_signed_on_person_and_sign_off_ends_it(
        served: str, browser: Browser, state: StateFolder) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    sign_on_page(page, served, "rita")
    page.goto(served + f"/items/{state.ids['over_limit']}")
    unfold(page, "#resolve-form")
    page.locator("#resolve-form").get_by_label("Reference").fill("CLM-2026-10")
    page.locator("#resolve-form").get_by_role("button", name="Resolve").click()
    page.wait_for_url("**/items/**")
    audit = page.locator("section.audit").inner_text()
    assert "rita" in audit and "resolve" in audit
    page.get_by_role("button", name="Sign off").click()
    page.wait_for_url("**/signon")
    page.goto(served + "/")
    assert "/signon" in page.url
