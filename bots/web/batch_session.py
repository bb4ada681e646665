"""``web.session: batch``: signed-on pages that serve a batch's items in order.

A single-page application (a practice form, a work list) keeps its state in the page: every
item reopening the form's URL would lose it, and a Start button pressed once per batch would be
pressed again. So in batch mode the items share the batch's pages, never at the same time:

- ``BatchPages`` holds the batch's signed-on pages; an item borrows a free one (one page per
  concurrent item slot, so at concurrency 2 there are at most two) and gives it back at its
  end whatever its outcome. A page that crashed, was closed or is left on the sign-on screen
  (the session expired) is closed and replaced by a new one.
- Every page opened after the batch's ``before_items`` ran gets them replayed on it ("page
  setup"): the engine hands a replay function (``set_up_with``) that runs the before_items
  steps needing the web on that page. The first page is the one they ran on: no replay.
- ``BatchSession`` is one item's view (the ``web`` resource in batch mode). Pages are never
  reset or renavigated between items. A retry of a step (``reset()``) keeps the page unless it
  crashed or closed: the failed attempt's half-filled form is overwritten by the next fill
  (the steps fill every field they name), and a page that cannot be trusted any more is
  replaced, set up again, before the next attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import structlog
from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from bots.chaos import maybe_crash_later
from bots.web.config import WebConfig
from bots.web.login import sign_on
from bots.web.session import BrowserPool, ItemSession, new_page, opened

Replay = Callable[["ItemSession"], Awaitable[None]]  # makes a new page like the first one


@dataclass(eq=False)
class BatchPage:
    """One of the batch's pages, with what has happened to it."""

    context: BrowserContext
    page: Page
    crashed: bool = False

    def usable(self, config: WebConfig) -> bool:
        """Open, not crashed, and not sent back to the sign-on screen."""
        return not (self.crashed or self.page.is_closed() or on_sign_on_page(self.page, config))

    async def close(self) -> None:
        with contextlib.suppress(PlaywrightError):
            await self.context.close()


class BatchPages:
    """The batch's pages: lent to one item at a time, replaced when they cannot serve."""

    def __init__(self, browser: BrowserPool, config: WebConfig) -> None:
        self._browser, self.config = browser, config
        self._free: list[BatchPage] = []
        self._all: list[BatchPage] = []
        self._replay: Replay | None = None
        self.opened = 0  # pages opened in all (the log says when one is replaced)

    def set_up_with(self, replay: Replay) -> None:
        """From now on every new page gets `replay` (the batch's before_items web steps)."""
        self._replay = replay

    async def borrow(self) -> BatchPage:
        """A free usable page, or a new one (signed on, set up)."""
        while self._free:
            lent = self._free.pop(0)
            if lent.usable(self.config):
                return lent
            await self.discard(lent)
        return await self._open()

    async def give_back(self, lent: BatchPage) -> None:
        """The item is over with this page: it serves the next item, or goes if it cannot."""
        if lent.usable(self.config):
            self._free.append(lent)
        else:
            await self.discard(lent)

    async def discard(self, lent: BatchPage) -> None:
        """Close a page that cannot serve any more (a new one replaces it when needed)."""
        structlog.get_logger().info("web.batch_page_replaced", crashed=lent.crashed,
                                    closed=lent.page.is_closed())
        with contextlib.suppress(ValueError):
            self._all.remove(lent)
        await lent.close()

    async def close(self) -> None:
        """Close every page of the batch; safe to call twice."""
        pages, self._all, self._free = self._all, [], []
        for lent in pages:
            await lent.close()

    async def _open(self) -> BatchPage:
        context = await self._browser.new_context(self.config)
        lent = BatchPage(context, await new_page(context, self.config))
        self._all.append(lent)
        self.opened += 1
        lent.page.on("crash", lambda _page: setattr(lent, "crashed", True))
        maybe_crash_later(lent.page)  # only under BOTS_CHAOS, for the soak tests
        try:
            await sign_on(lent.page, self.config)  # an open site: blank until first used
            if self._replay is not None:
                await self._replay(PinnedSession(self._browser, self.config, lent))
        except BaseException:
            await self.discard(lent)
            raise
        return lent


def on_sign_on_page(page: Page, config: WebConfig) -> bool:
    """Whether the page shows the recipe's sign-on screen (the session ended)."""
    if config.login is None:
        return False
    return urlsplit(page.url).path == urlsplit(config.url(config.login.url)).path


class BatchSession(ItemSession):
    """One item's use of a batch page (the ``web`` resource with ``session: batch``)."""

    def __init__(self, browser: BrowserPool, config: WebConfig, pages: BatchPages) -> None:
        super().__init__(browser, config)
        self._pages = pages
        self._lent: BatchPage | None = None
        self._borrowing = asyncio.Lock()

    async def page(self) -> Page:
        """The page this item borrowed, as the last item left it (a fresh one on an open site:
        at web.base_url, never blank); a broken one is replaced."""
        return await opened(await self.page_as_is(), self.config)

    async def page_as_is(self) -> Page:
        """The borrowed page, a fresh one still blank (a step with a URL opens only that)."""
        async with self._borrowing:
            if self._lent is not None and not self._lent.usable(self.config):
                await self._pages.discard(self._lent)
                self._lent = None
            if self._lent is None:
                self._lent = await self._pages.borrow()
            self._context, self._page = self._lent.context, self._lent.page
            return self._lent.page

    async def reset(self) -> None:
        """Before a retry: keep the page unless it crashed or closed (see the module doc)."""
        if self._lent is not None and (self._lent.crashed or self._lent.page.is_closed()):
            await self._pages.discard(self._lent)
            self._lent, self._context, self._page = None, None, None

    async def release(self, *, ended_done: bool) -> None:
        """The item is over: its page serves the next item, whatever this one's outcome."""
        lent, self._lent, self._context, self._page = self._lent, None, None, None
        if lent is not None:
            await self._pages.give_back(lent)

    async def close(self) -> None:
        await self.release(ended_done=False)


class PinnedSession(ItemSession):
    """A new batch page while the batch's setup is replayed on it (no borrowing, no reset)."""

    def __init__(self, browser: BrowserPool, config: WebConfig, lent: BatchPage) -> None:
        super().__init__(browser, config)
        self._context, self._page = lent.context, lent.page

    async def page(self) -> Page:
        return await opened(await self.page_as_is(), self.config)

    async def page_as_is(self) -> Page:
        assert self._page is not None
        return self._page

    async def reset(self) -> None:
        """A failed setup step is retried on the same page (it fails the page if it runs out)."""

    async def release(self, *, ended_done: bool) -> None:
        """The page belongs to the batch: nothing to release."""

    async def close(self) -> None:
        """The page belongs to the batch: nothing to close."""
