"""Shared by the find tests: the static pages of pages/find served on a made-up origin through
``context.route`` (no server), in a context of the session's Chromium with short timeouts."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, Route

from bots.web import BrowserPool
from tests.steps.web.web_helpers import Run

PAGES = Path(__file__).parent / "pages" / "find"
ORIGIN = "http://find.test"


async def _serve(route: Route) -> None:
    name = route.request.url.removeprefix(ORIGIN + "/").split("?")[0] or "index.html"
    if name == "slow.json":  # a slow answer the page waits for before drawing a field
        await asyncio.sleep(2.5)
        await route.fulfill(body='{"label": "Late"}', content_type="application/json")
        return
    page = PAGES / name
    if page.is_file():
        await route.fulfill(body=page.read_text(encoding="utf-8"), content_type="text/html")
    else:
        await route.fulfill(status=404, body="not here")


def context_for_pages(run: Run, pool: BrowserPool, timeout_ms: float = 1000) -> Iterator[Any]:
    """A browser context that serves pages/find; finds give up after `timeout_ms` (400 ms
    timed out a fill of a field already found, at four pytest workers on two cores)."""
    context: BrowserContext = run(pool.new_context())
    context.set_default_timeout(timeout_ms)
    run(context.route(f"{ORIGIN}/**", _serve))
    yield context
    run(context.close())


def opened(run: Run, context: Any, name: str) -> Any:
    """A new page showing pages/find/<name>."""
    page = run(context.new_page())
    run(page.goto(f"{ORIGIN}/{name}"))
    return page
