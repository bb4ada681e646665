"""Fixtures for the fixture app tests: the legacy app (one server for the session, reset before
each test), and a browser and page for the practice app tests (each module starts its own
`practice` app)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bots.web.browser import find_browser, launch_args
from fixtures.legacy_app import LegacyApp, launch
from fixtures.practice_app import PracticeApp
from tests.fixture_app.legacy_screen import CREDENTIALS, Screen, get, submit


@pytest.fixture(scope="session")
def running_app() -> Iterator[LegacyApp]:
    with launch(env=CREDENTIALS) as app:
        yield app


@pytest.fixture
def app(running_app: LegacyApp) -> LegacyApp:
    running_app.reset()
    return running_app


@pytest.fixture
def anonymous(app: LegacyApp) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=app.url, timeout=10.0) as client:
        yield client


@pytest.fixture
def client(anonymous: httpx.Client) -> httpx.Client:
    """A client signed on as the clerk."""
    login = get(anonymous, "/login")
    response = submit(anonymous, login, {"User ID:": CREDENTIALS["LEGACY_USER"],
                                         "Password:": CREDENTIALS["LEGACY_PASSWORD"]}, "Sign On")
    assert Screen(response).title == "Main Menu"
    return anonymous


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """A headless Chromium (Playwright's sync API) for a module of practice app tests."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=find_browser(playwright.chromium.executable_path), headless=True,
            args=launch_args("127.0.0.1", isolate_network=True))
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, practice: PracticeApp) -> Iterator[Page]:
    """A fresh page on the module's own practice app (its `practice` fixture), reset first."""
    practice.reset()
    context = browser.new_context()
    context.set_default_timeout(5_000)
    yield context.new_page()
    context.close()
