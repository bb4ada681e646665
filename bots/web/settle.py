"""What a click started: a navigation to follow to its load, or requests to let finish.

A click on a legacy screen posts a form and loads the next page; a click on a client-rendered
page (SPA) changes the page in place, maybe after a fetch, and no page load ever comes. So a
click never waits for a load it assumes. ``Traffic`` watches the page's requests from just
before the click:

- a document request of the main frame, the page's ``beforeunload`` since the click (the leave
  watch, armed once per page), or the old document vanishing under an evaluation mean a
  navigation: it is followed to the new page's ``load`` and its response returned. The one
  evaluation after the click waits for the page's 0 ms timers, so a navigation a click handler
  defers (``setTimeout(__doPostBack, 0)``, a classic of legacy screens) is seen too;
- otherwise the requests the click started (fetch/XHR, scripts, sub-frame documents) are let
  finish, plus a short quiet period in which the page may start the next one (a chained fetch,
  a redirect after saving); with none started, nothing is waited for at all, which keeps a
  click on an SPA as fast as a bare Playwright click.

Requests that were already running before the click (a poll, a long-lived connection) are not
counted. A request still running when the time is up is named in the TIMEOUT message.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from types import TracebackType
from weakref import WeakSet

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page, Request, Response
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bots.kernel.errors import TransientError

QUIET_S = 0.05  # after the last request ends, how long the page may take to start another
NAVIGATION_START_S = 2.0  # a beforeunload with no document request by then: the page stayed
LEFT = ("destroyed", "navigat")  # how an evaluation fails when its document went away
COUNTED = ("xhr", "fetch", "script", "document")  # requests that change what the page shows

# The leave watch: each document notes when it last began to unload (a cross-document
# navigation starting), so one evaluation after a click tells whether the click started one.
WATCH_JS = """() => {
  if (window.__botsWatch) return;
  window.__botsWatch = true;
  addEventListener('beforeunload', () => { window.__botsLeftAt = performance.now(); });
}"""
SINCE_LEFT_JS = """() => new Promise(done => setTimeout(() => done(
  window.__botsLeftAt === undefined ? null : performance.now() - window.__botsLeftAt), 0))"""
_WATCHED: WeakSet[Page] = WeakSet()


class Traffic:
    """The requests and main-frame navigations a page makes while this watches it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.pending: set[Request] = set()
        self.navigation: Request | None = None  # the latest main-frame document request
        self.navigation_failed = False
        self.committed = False  # the main frame has a new document (or a new URL)
        self.changed = asyncio.Event()
        self.began = time.monotonic()

    def __enter__(self) -> Traffic:
        self.began = time.monotonic()
        self.page.on("request", self._started)
        self.page.on("requestfinished", self._ended)
        self.page.on("requestfailed", self._failed)
        self.page.on("framenavigated", self._navigated)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.page.remove_listener("request", self._started)
        self.page.remove_listener("requestfinished", self._ended)
        self.page.remove_listener("requestfailed", self._failed)
        self.page.remove_listener("framenavigated", self._navigated)

    def _started(self, request: Request) -> None:
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.navigation, self.navigation_failed = request, False
        elif request.resource_type in COUNTED:
            self.pending.add(request)
        self.changed.set()

    def _ended(self, request: Request) -> None:
        self.pending.discard(request)
        self.changed.set()

    def _failed(self, request: Request) -> None:
        if request is self.navigation:
            self.navigation_failed = True  # a download, a 204, a cancelled navigation
        self._ended(request)

    def _navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame and self.navigation is not None:
            self.committed = True
            self.changed.set()

    def active(self) -> bool:
        """Whether the page made any request (or navigation) since the watch began."""
        return bool(self.navigation or self.pending or self.committed)

    async def changes(self, until: float) -> bool:
        """Wait for the next request event until the monotonic time `until`; False: none."""
        self.changed.clear()
        try:
            await asyncio.wait_for(self.changed.wait(), max(0.0, until - time.monotonic()))
        except TimeoutError:
            return False
        return True

    def still_loading(self) -> str:
        """The requests still running, for a message: 'GET http://x/api, ...'."""
        shown = [f"{request.method} {request.url}" for request in list(self.pending)[:3]]
        return ", ".join(shown) + (" ..." if len(self.pending) > 3 else "")


async def watch_leaving(page: Page) -> None:
    """Arm the leave watch on the page's document and every later one (once per page)."""
    if page in _WATCHED:
        return
    await page.add_init_script(f"({WATCH_JS})()")
    await page.evaluate(WATCH_JS)
    _WATCHED.add(page)


async def watch_frame(frame: Frame) -> None:
    """Arm the leave watch in a frame's current document (later ones have the init script)."""
    await frame.evaluate(WATCH_JS)


async def leaving(where: Page | Frame, traffic: Traffic) -> bool:
    """Whether the page (or frame) began to leave (a navigation started) since the traffic
    watch began: one round trip, which also lets the click's first requests be reported."""
    try:
        since_ms = await where.evaluate(SINCE_LEFT_JS)
    except PlaywrightError as error:
        if any(word in str(error).lower() for word in LEFT):
            return True  # the old document went away under the evaluation
        raise
    return since_ms is not None and since_ms <= (time.monotonic() - traffic.began) * 1000


async def navigation_started(page: Page, traffic: Traffic, until: float,
                             stayed: Callable[[], bool] = lambda: False) -> bool:
    """Whether the click led to a main-frame navigation (seen by its request or by the page).

    `stayed` says that the page asked "leave this page?" and was told no."""
    if traffic.navigation is None and (not await leaving(page, traffic) or stayed()):
        return False
    start_by = min(until, time.monotonic() + NAVIGATION_START_S)
    while traffic.navigation is None:
        if not await traffic.changes(start_by):
            return False  # the page prompted, then stayed (a dismissed beforeunload)
    return True


async def frame_leaving(frame: Frame, traffic: Traffic, until: float) -> bool:
    """Whether the click made the sub-frame it was in begin to leave (a form posted inside an
    iframe); if so, wait until its document request shows, so that ``settle`` follows it."""
    if not await leaving(frame, traffic):
        return False
    start_by = min(until, time.monotonic() + NAVIGATION_START_S)
    while not traffic.pending:
        if not await traffic.changes(start_by):
            return False
    return True


async def follow_navigation(page: Page, traffic: Traffic, until: float,
                            what: str) -> Response | None:
    """Wait for the navigation to commit and its page to load; its response (None: the
    request ended without a new page, e.g. a download). Then watch for the next one."""
    while not traffic.committed:
        if traffic.navigation_failed:
            return None
        if not await traffic.changes(until):
            raise timed_out(what, traffic)
    remaining = max(0.001, until - time.monotonic())
    try:
        await page.wait_for_load_state("load", timeout=remaining * 1000)
    except PlaywrightTimeoutError as error:
        raise timed_out(what, traffic) from error
    request, traffic.navigation, traffic.committed = traffic.navigation, None, False
    return await request.response() if request else None


async def settle(traffic: Traffic, until: float, what: str) -> bool:
    """Let the requests the click started finish, then a quiet period; True when any ran.

    Returns early when a main-frame navigation starts (the caller follows it)."""
    if not traffic.pending:
        return False
    while traffic.navigation is None:
        if traffic.pending:
            if not await traffic.changes(until):
                raise timed_out(what, traffic)
        elif not await traffic.changes(min(until, time.monotonic() + QUIET_S)):
            break
    return True


def timed_out(what: str, traffic: Traffic) -> TransientError:
    """TIMEOUT naming what was waited for (and the requests still running)."""
    loading = f" (still loading: {traffic.still_loading()})" if traffic.pending else ""
    return TransientError(f"Timed out waiting for {what}{loading}.", code="TIMEOUT",
                          waited_for=what, clicked=True)
