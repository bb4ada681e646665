"""The ``web`` resource: one Chromium per process, one signed-on page per item.

Web steps declare ``needs=("web",)``; the recipe's ``web:`` section (``WebConfig``) says where
the target system is and how to sign on. The browser starts when the first item opens its
page, and a missing browser is reported before any item starts.
"""

from __future__ import annotations

import asyncio

from bots.kernel import ResourceType
from bots.web.browser import find_browser, headed
from bots.web.config import WebConfig
from bots.web.session import BrowserPool, ItemSession


class WebProvider:
    """The browser of one recipe's run: started on first use, one session per item."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self._pool: BrowserPool | None = None
        self._starting = asyncio.Lock()

    async def open(self) -> ItemSession:
        """A new item session; Chromium is launched for the first one."""
        return ItemSession(await self._browser(), self.config)

    async def stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.stop()

    async def _browser(self) -> BrowserPool:
        async with self._starting:
            if self._pool is None:
                self._pool = await BrowserPool.start(self.config)
        return self._pool


def browser_present(_config: WebConfig) -> None:
    """Raise a clear BROWSER_ERROR before the run when no Chromium can be found."""
    find_browser(visible=headed())


WEB = ResourceType(
    name="web", start=WebProvider, settings=WebConfig, scope="item", preflight=browser_present,
    summary="A Chromium page per item, signed on to the recipe's target system.")
