"""The review page in a real headless Chromium: queue, item with its boxed page, resolve."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from bots.review import create_app
from bots.web.browser import find_browser, launch_args
from tests.review.review_helpers import StateFolder, on_loopback, sign_on_page, unfold

pytestmark = pytest.mark.browser


@pytest.fixture
def served(state: StateFolder) -> Iterator[str]:
    """The review app on a loopback port, served by uvicorn in a thread."""
    app = create_app(state.url, state.path, allowed_hosts=["127.0.0.1", "localhost"], goals={})
    with on_loopback(app) as url:
        yield url


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=find_browser(), headless=True,
            args=launch_args("", isolate_network=True))
        yield chromium
        chromium.close()


def test_analyst_opens_an_item_sees_the_boxes_and_resolves_it(
        served: str, browser: Browser, state: StateFolder) -> None:
    page = browser.new_page()
    sign_on_page(page, served, "ana")
    page.goto(served + "/")
    assert page.locator("table.queue tbody tr").count() == 3
    page.get_by_role("link", name="claim-10-acme-over-limit.pdf").click()
    image = page.locator("img.page").first
    image.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") > 800
    unfold(page, "#resolve-form")
    resolve = page.locator("#resolve-form")
    resolve.get_by_label("Reference").fill("CLM-2026-9")
    resolve.get_by_label("Note").fill("keyed by hand")
    resolve.get_by_role("button", name="Resolve").click()
    page.wait_for_url("**/items/**")
    assert "Resolved by hand." in page.locator(".flash").inner_text()
    assert "resolve" in page.locator("section.audit").inner_text()
    page.get_by_role("link", name="Queue").first.click()
    assert page.locator("table.queue tbody tr").count() == 2
    assert "claim-10-acme-over-limit.pdf" not in page.content()
