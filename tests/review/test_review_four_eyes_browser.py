"""Four eyes in a real browser: an approval above the recipe's threshold waits for a supervisor
other than its requester; an analyst cannot confirm it, nor can the requester."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.review.review_helpers import ROOT, StateFolder, keep_shot, sign_on_page
from tests.review.test_review_browser import browser, served

__all__ = ["browser", "served"]  # the fixtures, shared with the page's other browser tests
THRESHOLD = "          at_most: ${policy.coverage_limit}\n"


@pytest.fixture
def four_eyes(state: StateFolder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The over-limit claim under a recipe whose rule needs a second person above 5000, and
    the settings a resubmit needs (dummies: the resubmit itself is not what is tested)."""
    for name, value in (("LEGACY_URL", "http://127.0.0.1:9"), ("LEGACY_USER", "u"),
                        ("LEGACY_PASSWORD", "p"), ("ALERT_WEBHOOK", "")):
        monkeypatch.setenv(name, value)
    recipe = tmp_path / "recipes" / "claims-intake.yaml"
    recipe.parent.mkdir()
    text = (ROOT / "recipes" / "claims-intake.yaml").read_text(encoding="utf-8")
    assert THRESHOLD in text
    recipe.write_text(text.replace(THRESHOLD, THRESHOLD + "          approve: "
                                   "{second_person_above: 5000}\n", 1), encoding="utf-8")
    ledger = state.ledger()
    item_id = state.ids["over_limit"]
    outputs = {**(ledger.item(item_id) or {})["outputs"], "policy": {"coverage_limit": "5000.00"}}
    ledger.update_item(item_id, recipe_path=str(recipe), outputs_json=outputs)
    ledger.close()
    return f"/items/{item_id}"


def _as(browser: Browser, served: str, name: str, url: str) -> Page:
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    sign_on_page(page, served, name)
    page.goto(served + url)
    return page


def _forged_confirm(page: Page, served: str, url: str) -> str:
    """A confirm posted by this browser without the button (its cookies, a valid token)."""
    token = page.locator("input[name=csrf]").first.get_attribute("value") or ""
    page.request.post(served + url, form={"csrf": token, "action": "confirm-approval"},
                      max_redirects=0)  # the flash is read by the page, not here
    page.goto(served + url)
    return page.locator(".flash").inner_text()


def test_an_over_threshold_approval_waits_for_another_supervisor(
        four_eyes: str, served: str, browser: Browser, state: StateFolder) -> None:
    sam = _as(browser, served, "sam", four_eyes)
    sam.locator("#approve-form").get_by_label("Reason").fill("known customer, goodwill")
    sam.locator("#approve-form").get_by_role("button", name="Approve").click()
    sam.wait_for_url("**/items/**")
    assert "a second person must confirm it" in sam.locator(".flash").inner_text()
    assert sam.locator("#waiting-second").is_visible() and sam.locator("#confirm-form").count() == 0
    assert "sam requested this approval" in _forged_confirm(sam, served, four_eyes)

    ana = _as(browser, served, "ana", four_eyes)
    waiting = " ".join(ana.locator("#waiting-second").inner_text().split())
    assert "a supervisor other than sam confirms" in waiting
    assert ana.locator("#confirm-form").count() == 0
    keep_shot(ana, "review-four-eyes-waiting", "#waiting-second")
    assert "this needs a supervisor" in _forged_confirm(ana, served, four_eyes)

    rita = _as(browser, served, "rita", four_eyes)
    keep_shot(rita, "review-four-eyes-confirm", "#confirm-form")
    rita.locator("#confirm-form").get_by_role("button", name="Confirm and resubmit").click()
    rita.wait_for_url("**/items/**")
    trail = [(entry["who"], entry["action"])
             for entry in state.ledger().audit_trail(state.ids["over_limit"])]
    assert ("sam", "approval-requested") in trail and ("rita", "approval-confirmed") in trail
    assert not any(who in ("ana", "mallory") for who, _ in trail)
    assert [who for who, action in trail if action == "approval-confirmed"] == ["rita"]
