"""Fixtures for the web tests: one legacy app, one event loop and one Chromium per session.

Playwright's async objects belong to the loop that made them, so every test drives the browser
through ``run`` (the session loop's run_until_complete) instead of its own loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser

from bots.kernel import StepContext, StepType, WorkItem
from bots.web import BrowserPool, ItemSession
from fixtures.legacy_app import LegacyApp, launch
from tests.steps.web.wait_app import WaitSite, browser_for_module, site_for_test
from tests.steps.web.web_helpers import PASSWORD, USER, Run, web_config


@pytest.fixture(scope="session")
def legacy_app() -> Iterator[LegacyApp]:
    with launch(env={"LEGACY_USER": USER, "LEGACY_PASSWORD": PASSWORD}) as app:
        yield app


@pytest.fixture(scope="session")
def run() -> Iterator[Run]:
    loop = asyncio.new_event_loop()
    yield loop.run_until_complete
    loop.close()


@pytest.fixture(scope="session")
def pool(run: Run, legacy_app: LegacyApp) -> Iterator[BrowserPool]:
    browser_pool = run(BrowserPool.start(web_config(legacy_app.url)))
    yield browser_pool
    run(browser_pool.stop())


@pytest.fixture
def app(legacy_app: LegacyApp) -> LegacyApp:
    """The legacy app with no claims, no sessions and no faults."""
    legacy_app.reset()
    return legacy_app


@pytest.fixture
def session(run: Run, pool: BrowserPool, app: LegacyApp) -> Iterator[ItemSession]:
    item_session = pool.session()
    yield item_session
    run(item_session.close())


@pytest.fixture
def ctx(session: ItemSession, tmp_path: Path) -> StepContext:
    return StepContext(run_id="run-1", item=WorkItem(key="a1b2c3d4e5f60718", name="c.pdf"),
                       step_id="web_step", evidence_dir=tmp_path / "evidence",
                       resources={"web": session})


@pytest.fixture
def call(run: Run) -> Callable[..., Any]:
    """Run a step type with raw (recipe-like) parameters, validated by its own model."""

    def call_step(step_type: StepType, params: dict[str, Any], ctx: StepContext) -> Any:
        return run(step_type.function(step_type.params.model_validate(params), ctx))

    return call_step


@pytest.fixture(scope="module")
def wait_browser(run: Run) -> Iterator[Browser]:
    """A Chromium of its own for a module of click and wait tests (pages on http://wait.test)."""
    yield from browser_for_module(run)


@pytest.fixture
def site(run: Run, wait_browser: Browser) -> Iterator[WaitSite]:
    """A fresh context and page on the wait site, for one test."""
    yield from site_for_test(run, wait_browser)
