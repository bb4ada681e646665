"""Insights in a real headless Chromium at 1366x768: an analyst signs on, switches recipe and
period (links, the form, a from/to range) and reads the figures off the page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bots.ledger import Ledger, people
from bots.review import create_app
from bots.web.browser import find_browser, launch_args
from tests.review.review_helpers import PASSWORD, keep_shot, on_loopback, sign_on_page
from tests.review.test_review_insights import CLAIMS, GOALS, ORDERS, seed

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The review app on a ledger seeded back from now, on a loopback port."""
    folder: Path = tmp_path_factory.mktemp("insights-state")
    url = f"sqlite:///{folder / 'bots.sqlite'}"
    seed(url, datetime.now(UTC))
    ledger = Ledger(url)
    people.add_user(ledger.engine, "ana", "analyst", PASSWORD)
    ledger.close()
    app = create_app(url, folder, allowed_hosts=["127.0.0.1", "localhost"], goals=GOALS)
    with on_loopback(app) as base:
        yield base


@pytest.fixture(scope="module")
def page(served: str) -> Iterator[Page]:
    """One signed-on laptop-sized page for the module's tests."""
    with sync_playwright() as playwright:
        chromium: Browser = playwright.chromium.launch(
            executable_path=find_browser(), headless=True,
            args=launch_args("", isolate_network=True))
        tab = chromium.new_page(viewport={"width": 1366, "height": 768})
        sign_on_page(tab, served, "ana")
        yield tab
        chromium.close()


def figure(page: Page, recipe: str, name: str) -> str:
    """One figure of a recipe's section as the page shows it."""
    return page.locator(f'section[data-recipe="{recipe}"] [data-figure="{name}"]').inner_text()


def test_every_recipe_apart_over_seven_days(page: Page, served: str) -> None:
    page.goto(served + "/insights")
    sections = page.locator("section.recipe-insights")
    assert sections.evaluate_all("all => all.map(s => s.dataset.recipe)") == [CLAIMS, ORDERS]
    assert figure(page, CLAIMS, "finished") == "11"
    assert figure(page, CLAIMS, "rate") == "82 %"
    assert figure(page, CLAIMS, "needed") == "73 %"
    assert "8 of 11: resolved 2, rejected 2, approved 1, corrected 1, waiting 2" in " ".join(
        figure(page, CLAIMS, "people").split())
    assert figure(page, CLAIMS, "median-wait") == "1 h 15 min"
    assert figure(page, CLAIMS, "p90-wait") == "1 d 4 h"
    assert figure(page, CLAIMS, "waiting") == "2"
    assert figure(page, CLAIMS, "goal") == "1 on time · 1 at risk · 1 breached"
    rules = page.locator(f'section[data-recipe="{CLAIMS}"] table[data-step="rules"] tbody tr')
    assert rules.count() == 4  # every code of the step, not the top three
    assert page.locator(f'section[data-recipe="{ORDERS}"] table[data-step="rules"]').count() == 0
    keep_shot(page, "review-insights")


def test_switch_recipe_then_period_by_links(page: Page, served: str) -> None:
    page.goto(served + "/insights")
    page.get_by_role("navigation", name="Recipes").get_by_role("link", name=ORDERS).click()
    page.wait_for_url("**recipe=order-entry**")
    assert page.locator("section.recipe-insights").count() == 1
    assert figure(page, ORDERS, "rate") == "67 %" and figure(page, ORDERS, "goal") == "no goal"
    assert figure(page, ORDERS, "median-wait") == "45 min"
    page.get_by_role("navigation", name="Periods").get_by_role("link",
                                                               name="Last 30 days").click()
    page.wait_for_url("**period=30d**")
    assert "recipe=order-entry" in page.url  # the recipe was kept
    assert "Last 30 days" in page.locator("h1").inner_text()


def test_the_form_and_a_date_range(page: Page, served: str) -> None:
    page.goto(served + "/insights?recipe=order-entry&period=30d")
    form = page.get_by_role("form", name="Choose the recipe and the period")
    form.get_by_label("Recipe").select_option(CLAIMS)
    form.get_by_role("button", name="Show").click()
    page.wait_for_url("**recipe=claims-intake**")
    assert figure(page, CLAIMS, "finished") == "13"  # 30 days kept: two older items join
    assert figure(page, CLAIMS, "median-wait") == "1 h"
    now = datetime.now(UTC)
    form.get_by_label("or from").fill((now - timedelta(days=19)).date().isoformat())
    form.get_by_label("to", exact=True).fill((now - timedelta(days=18)).date().isoformat())
    form.get_by_role("button", name="Show").click()
    page.wait_for_url("**from=**")
    assert (figure(page, CLAIMS, "finished"), figure(page, CLAIMS, "rate")) == ("2", "50 %")
    assert figure(page, CLAIMS, "median-wait") == "1 h"


def test_a_bad_period_is_named_on_the_page(page: Page, served: str) -> None:
    page.goto(served + "/insights?period=forever")
    assert "'forever' is not a period" in page.get_by_role("alert").inner_text()
    assert figure(page, CLAIMS, "finished") == "11"
