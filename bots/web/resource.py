"""The ``web`` resource: one Chromium per process, one signed-on page per item (or per batch).

Web steps declare ``needs=("web",)``; the recipe's ``web:`` section (``WebConfig``) says where
the target system is, how to sign on and whether items share the batch's pages
(``session: batch``, ``bots.web.batch_session``). The browser starts when the first item opens
its page, or earlier when the run warms it (``warm``: as the run begins, so that Playwright and
Chromium start while the run reads its inbox and launches its queue; a run with nothing to do
closes it unused); a missing browser is reported before any item starts.
"""

from __future__ import annotations

import asyncio
import contextlib

from bots.kernel import ResourceType
from bots.kernel.resources import Replay
from bots.web.batch_session import BatchPages, BatchSession
from bots.web.browser import find_browser, headed
from bots.web.config import WebConfig
from bots.web.session import BrowserPool, ItemSession


class WebProvider:
    """The browser of one recipe's run: started on first use, one session per item."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self._pool: BrowserPool | None = None
        self._pages: BatchPages | None = None
        self._replay: Replay | None = None
        self._starting = asyncio.Lock()
        self._launching: asyncio.Future[BrowserPool] | None = None  # warm(): started early

    async def open(self) -> ItemSession:
        """A new item session; Chromium is launched for the first one."""
        pool = await self._browser()
        if self._pages is not None:
            return BatchSession(pool, self.config, self._pages)
        return ItemSession(pool, self.config)

    def set_up_with(self, replay: Replay) -> None:
        """Every batch page opened from now on gets the batch's setup replayed on it."""
        self._replay = replay
        if self._pages is not None:
            self._pages.set_up_with(replay)

    @property
    def pages_opened(self) -> int:
        """How many batch pages were opened (0 with ``session: item``)."""
        return self._pages.opened if self._pages is not None else 0

    def warm(self) -> None:
        """Start Playwright and Chromium in the background; the first ``open`` takes them."""
        if self._pool is None and self._launching is None:
            self._launching = asyncio.ensure_future(BrowserPool.start(self.config))

    async def stop(self) -> None:
        await self._launched_quietly()
        pages, self._pages = self._pages, None
        if pages is not None:
            await pages.close()
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.stop()

    async def _browser(self) -> BrowserPool:
        async with self._starting:
            if self._pool is None:
                launching, self._launching = self._launching, None
                self._pool = await (launching or BrowserPool.start(self.config))
                if self.config.session == "batch":
                    self._pages = BatchPages(self._pool, self.config)
                    if self._replay is not None:
                        self._pages.set_up_with(self._replay)
        return self._pool

    async def _launched_quietly(self) -> None:
        """A warm start nobody took (no item needed the browser): let it finish, keep the
        browser for ``stop`` to close; its failure says nothing any step needs to hear."""
        launching, self._launching = self._launching, None
        if launching is not None:
            with contextlib.suppress(Exception):
                self._pool = self._pool or await launching


def browser_present(_config: WebConfig) -> None:
    """Raise a clear BROWSER_ERROR before the run when no Chromium can be found."""
    find_browser(visible=headed())


WEB = ResourceType(
    name="web", start=WebProvider, settings=WebConfig, scope="item", preflight=browser_present,
    summary="A Chromium page per item (or the batch's pages with session: batch), signed on "
            "to the recipe's target system.")
