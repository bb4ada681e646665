"""The item page fits a laptop: at 1366x768 every exception of both demos shows why it
stopped, the document page (or the screen it stopped on) beside the values, and the actions,
within two screens; a value and its box on the page light each other up, by mouse and key.

The exceptions come from real runs of claims-intake and order-entry against the fixture
legacy app (the session's demo runs, tests/review/demo_runs.py, which the every-item test
reads too; the bad-input corpus's items left out); the page is the real app served on
loopback and driven in headless Chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page

from bots.ledger import Ledger
from bots.review.decisions import DATA, RULE, SYSTEM, failure_kind, recipe_for
from bots.review.render import page_sizes
from fixtures.hostile_pdfs import write_many_pages
from fixtures.legacy_app import LegacyApp, launch
from tests.review.decide_helpers import chromium, page_as, serving
from tests.review.demo_runs import PASSWORD, USER, demo_runs, from_the_corpus, items
from tests.review.review_helpers import add_item, keep_shot

pytestmark = pytest.mark.browser
DEMOS = ("claims-intake", "order-entry")
ROOT = Path(__file__).resolve().parents[2]
SCREEN = 768
FIRST_SCREEN_JS = "element => element.getBoundingClientRect().top < innerHeight"


@pytest.fixture(scope="module")
def legacy_app() -> Iterator[LegacyApp]:
    with launch(env={"LEGACY_USER": USER, "LEGACY_PASSWORD": PASSWORD}) as app:
        app.reset()
        yield app


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's copy of the session's real runs of both demos (and of the bad-input
    corpus, whose items these tests leave out)."""
    return demo_runs(tmp_path_factory)


@pytest.fixture(scope="module")
def served(state: Path, legacy_app: LegacyApp) -> Iterator[str]:
    """The review page over those runs on a loopback port."""
    with serving(state, legacy_app) as url:
        yield url


@pytest.fixture(scope="module")
def page(served: str) -> Iterator[Page]:
    with chromium() as browser:
        yield page_as(browser, "ana")


def exceptions(state: Path, recipe: str | None = None) -> list[dict[str, Any]]:
    """The exceptions the demos left (of one recipe, if named), none of the corpus's."""
    return [item for item in items(state) if item["status"] == "exception"
            and not from_the_corpus(item) and recipe in (None, item["recipe"])]


def box(locator: Locator) -> dict[str, float]:
    """Where the element is drawn on the page: x, y, width, height in CSS pixels."""
    found = locator.bounding_box()
    assert found, f"{locator} is not laid out"
    return {key: float(found[key]) for key in ("x", "y", "width", "height")}


def layout_problems(page: Page) -> list[str]:
    """What is wrong with the open item page at 1366x768 (nothing, when it fits)."""
    problems = []
    height = page.evaluate("document.documentElement.scrollHeight")
    if height > 2 * SCREEN:
        problems.append(f"{height} px tall")
    beside = page.locator(".document img.page:visible, .document img.screenshot").first
    shown = [page.locator("section.reason"), page.locator("section.values table")]
    for element in [*shown, beside]:
        if element.count() and not element.evaluate(FIRST_SCREEN_JS):
            problems.append(f"{element} not on the first screen")
    if beside.count() and shown[1].count():
        left, right = box(beside), box(shown[1])
        if left["x"] + left["width"] > right["x"] or right["y"] > left["y"] + left["height"]:
            problems.append(f"document {left} not beside the values {right}")
    return problems


def test_every_exception_of_both_demos_fits_two_screens(served: str, state: Path,
                                                        page: Page) -> None:
    failures, seen = [], {}
    assert {item["recipe"] for item in exceptions(state)} == set(DEMOS)
    for item in exceptions(state):
        page.goto(f"{served}/items/{item['item_id']}")
        page.wait_for_load_state("load")
        height = page.evaluate("document.documentElement.scrollHeight")
        seen[f"{item['name']} ({item['code']})"] = height
        failures += [f"{item['name']}: {problem}" for problem in layout_problems(page)]
        beside = page.locator(".document img.page:visible, .document img.screenshot")
        if item["values"] and item["path"].endswith(".pdf"):
            assert beside.count() == 1, f"{item['name']}: no page image beside its values"
    print("item page heights at 1366x768:", seen)
    assert len(seen) >= 18 and not failures, "\n".join(failures)


def test_clicking_a_value_lights_its_box_and_a_box_its_row(served: str, state: Path,
                                                           page: Page) -> None:
    claim = next(item for item in exceptions(state, "claims-intake")
                 if item["code"] == "AMOUNT_OVER_LIMIT")
    page.goto(f"{served}/items/{claim['item_id']}")
    keep_shot(page, "review-item-claim")
    amount, currency = row(page, "claim.amount"), row(page, "claim.currency")
    amount.click()
    spot = page.locator(f"#{amount.get_attribute('data-spot')}")
    assert page.locator(".spot.lit").count() == 1 and spot.get_attribute("aria-current") == "true"
    assert lit(amount) and lit(currency)  # the amount and its currency share one box
    assert "Amount Claimed: EUR 9.400,00" in page.locator("#value-detail").inner_text()
    assert_over(page, spot, claim, claim["provenance"]["claim"]["amount"]["box"])
    keep_shot(page, "review-item-highlight")
    policy_spot = page.locator(f"#{row(page, 'claim.policy_number').get_attribute('data-spot')}")
    policy_spot.click()
    assert lit(row(page, "claim.policy_number")) and not lit(amount) and not lit(spot)
    row(page, "claim.loss_date").focus()
    page.keyboard.press("Enter")
    assert lit(row(page, "claim.loss_date")) and not lit(row(page, "claim.policy_number"))
    policy_spot.focus()
    page.keyboard.press("Enter")
    assert lit(row(page, "claim.policy_number")) and lit(policy_spot)


def test_an_order_line_lights_its_line_on_the_purchase_order(served: str, state: Path,
                                                             page: Page) -> None:
    order = next(item for item in exceptions(state, "order-entry")
                 if item["code"] == "PRODUCT_NOT_FOUND" and item["path"].endswith(".pdf"))
    page.goto(f"{served}/items/{order['item_id']}")
    keep_shot(page, "review-item-order")
    row(page, "order.lines[2].quantity").click()
    assert lit_rows(page) == [
        "order.lines[2].product_code", "order.lines[2].quantity", "order.lines[2].unit_price"]
    line = order["provenance"]["order"]["lines"][1]["box"]
    assert_over(page, page.locator(".spot.lit"), order, line)
    page.set_viewport_size({"width": 1000, "height": SCREEN})  # narrow: one column
    try:
        image, values = box(page.locator("img.page")), box(page.locator("section.values"))
        assert image["y"] + image["height"] <= values["y"]
        assert_over(page, page.locator(".spot.lit"), order, line)  # still on its line
    finally:
        page.set_viewport_size({"width": 1366, "height": SCREEN})


def row(page: Page, name: str) -> Locator:
    """The values table's row of one value (its field cell reads ``step.path``)."""
    exactly = re.compile(rf"^\s*{re.escape(name)}\s*$")
    return page.locator("section.values tbody tr").filter(
        has=page.locator("td.field", has_text=exactly))


def lit(element: Locator) -> bool:
    return "lit" in (element.first.get_attribute("class") or "").split()


def lit_rows(page: Page) -> list[str]:
    return page.locator("section.values tr.lit td.field").all_inner_texts()


def assert_over(page: Page, spot: Locator, item: dict[str, Any], points: list[float]) -> None:
    """The lit box lies over the value's place on the shown page image (within 1.5 % of the
    page's width and height), wherever the layout put the image and however it scaled it."""
    image = box(page.locator(".doc-page:not([hidden]) img.page"))
    drawn = box(spot)
    width, height = page_sizes(item["path"], 1, 1)[1]
    assert (drawn["x"] - image["x"]) / image["width"] == pytest.approx(points[0] / width,
                                                                       abs=0.015)
    assert (drawn["y"] - image["y"]) / image["height"] == pytest.approx(points[1] / height,
                                                                        abs=0.015)
    assert drawn["width"] / image["width"] == pytest.approx((points[2] - points[0]) / width,
                                                            abs=0.015)


def test_a_value_on_another_page_brings_its_page_and_the_page_links_switch(
        served: str, state: Path, page: Page) -> None:
    pdf = write_many_pages(state / "three-pages.pdf", 3)
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    item_id = add_item(ledger, "claims-intake", "f6" * 16, pdf.name, str(pdf),
                       status="exception", code="FIELD_MISSING", step="claim",
                       values_json={"claim": {"first": "A", "third": "C"}},
                       provenance_json={"claim": {
                           "first": {"page": 1, "box": [72.0, 700.0, 200.0, 712.0]},
                           "third": {"page": 3, "box": [72.0, 100.0, 200.0, 112.0]}}})
    ledger.close()
    page.goto(f"{served}/items/{item_id}")
    first, third = page.locator("#page-1"), page.locator("#page-3")
    assert first.is_visible() and not third.is_visible()
    row(page, "claim.third").click()
    assert third.is_visible() and not first.is_visible()
    assert page.locator("#page-3 .spot.lit").count() == 1 and lit(row(page, "claim.third"))
    assert page.locator(".pager a[aria-current]").inner_text() == "3"
    page.locator(".pager a[data-page='1']").click()
    assert first.is_visible() and not third.is_visible()
    assert layout_problems(page) == []


OPEN_ACTION = {SYSTEM: "#rerun-form", RULE: "#approve-form", DATA: "#retry-form"}


def test_every_exception_opens_the_action_its_kind_asks_for_within_two_screens(
        served: str, state: Path, page: Page) -> None:
    """A system failure offers Retry, a rule's stop Approve, a data problem the correction form:
    that one open, its button within two screens; Resolve and Reject always offered."""
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    add_item(ledger, "claims-intake", "5e" * 16, "claim-down.pdf", "claim-down.pdf",
             status="exception", code="LOGIN_FAILED", step="enter_claim")  # the demos' runs
    ledger.close()  # meet no system failure
    failures, kinds = [], set()
    for item in exceptions(state):
        kind = failure_kind(item, recipe_for(item, ROOT))
        kinds.add(kind)
        page.goto(f"{served}/items/{item['item_id']}")
        opened = page.locator(f"details[open] > {OPEN_ACTION[kind]} button[type=submit]")
        if opened.count() != 1:
            failures.append(f"{item['name']} ({item['code']}): no open {OPEN_ACTION[kind]}")
        elif box(opened)["y"] > 2 * SCREEN:
            failures.append(f"{item['name']}: its action starts at {box(opened)['y']} px")
        for always in ("#resolve-form", "#reject-form"):
            if page.locator(always).count() != 1:
                failures.append(f"{item['name']}: no {always}")
    assert not failures, "\n".join(failures)
    assert kinds == {SYSTEM, RULE, DATA}, f"the demos left only {kinds}: the test proves less"
