"""The wait tests' site: the static pages of ``pages/wait`` served on a made-up origin
(http://wait.test) through ``context.route``, with answers that can be delayed and hits counted.

Routes: ``/<page>.html`` (a file), ``/api/save?ms=N`` (answers after N ms), ``/posted`` (the
posted form's echo), ``/slow-post`` (answers after 5 s), ``/download`` (a file to save);
anything else is a 404. A redirect's next request is not routed by Playwright: redirects are
tested on a real server (``test_clicks_server``). Each test gets a fresh context and page; a
module shares a Chromium.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.async_api import Browser, Page, Playwright, Route, async_playwright

from bots.web.browser import find_browser, launch_args
from bots.web.targets import Found
from tests.steps.web.web_helpers import Run

PAGES = Path(__file__).parent / "pages" / "wait"
ORIGIN = "http://wait.test"
ACTION_MS = 800  # how long a control may stay unready in these tests
NAVIGATION_MS = 5000


class WaitSite:
    """One test's page on the wait site, the requests it made, and a way to point at buttons."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.hits: Counter[str] = Counter()
        self.closing = asyncio.Event()

    async def route(self, route: Route) -> None:
        """Answer one request of the page (the context's route handler)."""
        parts = urlsplit(route.request.url)
        self.hits[parts.path] += 1
        query = parse_qs(parts.query)
        with contextlib.suppress(Exception):  # the test may end while an answer waits
            if parts.path == "/api/save":
                await self._pause(int(query["ms"][0]) / 1000)
                await route.fulfill(json={"saved": True})
            elif parts.path in ("/posted", "/slow-post"):
                await self._pause(5 if parts.path == "/slow-post" else 0)
                await route.fulfill(body=f"<h1>Posted</h1><p>{route.request.post_data}</p>",
                                    content_type="text/html")
            elif parts.path == "/download":
                await route.fulfill(body=b"%PDF-1.4", content_type="application/pdf", headers={
                    "Content-Disposition": "attachment; filename=claim.pdf"})
            elif parts.path.endswith(".html") and (PAGES / parts.path.lstrip("/")).is_file():
                await route.fulfill(path=PAGES / parts.path.lstrip("/"))
            else:
                await route.fulfill(status=404, body="not here")

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.closing.wait(), seconds)

    async def open(self, name: str) -> None:
        """Go to one of the pages (``spa.html?x=1``)."""
        await self.page.goto(f"{ORIGIN}/{name}")

    def button(self, css: str) -> Found:
        """A Found for the element at `css`, as the finder would hand it to a click."""
        return Found(locator=self.page.locator(css), kind="button", how="selector")

    def text(self, name: str) -> Found:
        """A Found for the button whose text is `name`."""
        locator = self.page.get_by_role("button", name=name, exact=True)
        return Found(locator=locator, kind="button", how="text")


def browser_for_module(run: Run) -> Iterator[Browser]:
    """One Chromium for a test module (a generator for a module-scoped fixture)."""
    playwright: Playwright = run(async_playwright().start())
    browser = run(playwright.chromium.launch(
        executable_path=find_browser(), args=launch_args("", isolate_network=False)))
    yield browser
    run(browser.close())
    run(playwright.stop())


def site_for_test(run: Run, browser: Browser) -> Iterator[WaitSite]:
    """A fresh context and page on the wait site (a generator for a fixture)."""
    context = run(browser.new_context())
    context.set_default_timeout(ACTION_MS)
    context.set_default_navigation_timeout(NAVIGATION_MS)
    site = WaitSite(run(context.new_page()))
    run(context.route(f"{ORIGIN}/**", site.route))
    yield site
    site.closing.set()
    run(context.close())
