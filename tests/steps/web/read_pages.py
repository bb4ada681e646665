"""Shared by the reading tests: the static pages of pages/read served on a made-up origin.

Pages are fulfilled by ``context.route`` (nothing listens), so each test opens its page in a
fresh context of the session's Chromium in a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import BrowserContext, Page, Route

from bots.web import BrowserPool
from tests.steps.web.web_helpers import Run

ORIGIN = "http://read.test"
PAGES = Path(__file__).parent / "pages" / "read"
Opener = Callable[[str], Page]


async def serve(route: Route) -> None:
    """Answer a request for http://read.test/<name> with pages/read/<name>."""
    name = urlsplit(route.request.url).path.lstrip("/")
    file = PAGES / name
    if name and file.is_file() and file.parent == PAGES:
        await route.fulfill(path=file)
    else:
        await route.fulfill(status=404, body="not here")


async def open_in(pool: BrowserPool, name: str) -> tuple[BrowserContext, Page]:
    """A new context whose page shows pages/read/<name>."""
    context = await pool.new_context()
    await context.route(f"{ORIGIN}/**", serve)
    page = await context.new_page()
    await page.goto(f"{ORIGIN}/{name}")
    return context, page


@pytest.fixture
def read_page(run: Run, pool: BrowserPool) -> Iterator[Opener]:
    """Open pages/read/<name> in its own context; every context is closed after the test."""
    contexts: list[BrowserContext] = []

    def opened(name: str) -> Page:
        context, page = run(open_in(pool, name))
        contexts.append(context)
        return page

    yield opened
    for context in contexts:
        run(context.close())

