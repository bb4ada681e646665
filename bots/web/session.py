"""The process's browser and each work item's own signed-on page.

``BrowserPool`` holds one Playwright and one Chromium per process, created on the running event
loop (DBOS runs async steps there too). ``ItemSession`` is one work item's view: a
BrowserContext of its own while it works, signed on at first use and again after an expiry,
recreated after a crash, and closed by ``reset()`` so a retry starts fresh. When an item ends
done its signed-on context goes back to the pool for the next item (``web.reuse_sessions``),
which saves a sign-on per item; any other ending closes it, so a half-keyed form, a crashed page
or an unknown state never reaches another item.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, Page, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from bots.chaos import maybe_crash_later
from bots.kernel import StepContext
from bots.kernel.errors import ApplicationError
from bots.web.browser import cache_driver_code, find_browser, headed, launch_args
from bots.web.clicks import set_page_defaults
from bots.web.config import WebConfig
from bots.web.evidence import capture_page
from bots.web.forms import open_page
from bots.web.guard import translated
from bots.web.login import sign_on

BLANK = "about:blank"  # a new page before it opened anything
IDLE_LIMIT = 8  # signed-on contexts kept for reuse; more than the usual concurrency


class BrowserPool:
    """One Playwright and one Chromium for the whole process; one context per item at a time."""

    def __init__(self, playwright: Playwright, browser: Browser, config: WebConfig) -> None:
        self._playwright = playwright
        self._browser = browser
        self.config = config
        self._relaunch_lock = asyncio.Lock()
        self._idle: list[tuple[WebConfig, BrowserContext, Page]] = []

    @classmethod
    async def start(cls, config: WebConfig) -> BrowserPool:
        """Start Playwright and launch Chromium on the running event loop."""
        cache_driver_code()
        playwright = await async_playwright().start()
        try:
            browser = await _launch(playwright, config)
        except BaseException:
            await playwright.stop()
            raise
        return cls(playwright, browser, config)

    def session(self, config: WebConfig | None = None) -> ItemSession:
        """A new session for one work item (no browser work until its first page())."""
        return ItemSession(self, config)

    async def new_context(self, config: WebConfig | None = None) -> BrowserContext:
        """A fresh BrowserContext with the recipe's viewport and timeouts."""
        config = config or self.config
        await self._relaunch_if_gone()
        async with translated("opening a browser context"):
            context = await self._browser.new_context(
                viewport={"width": config.viewport.width, "height": config.viewport.height})
        context.set_default_timeout(config.timeouts.action_s * 1000)
        context.set_default_navigation_timeout(config.timeouts.navigation_s * 1000)
        return context

    def take_idle(self, config: WebConfig) -> tuple[BrowserContext, Page] | None:
        """A signed-on (context, page) left by an earlier item for the same site and user."""
        for index, (kept, context, page) in enumerate(self._idle):
            if kept == config and not page.is_closed() and self._browser.is_connected():
                del self._idle[index]
                return context, page
        return None

    async def give_back(self, config: WebConfig, context: BrowserContext, page: Page) -> None:
        """Keep a signed-on context for the next item (the oldest goes when too many wait)."""
        self._idle.append((config, context, page))
        while len(self._idle) > IDLE_LIMIT:
            _, oldest, _ = self._idle.pop(0)
            await _close_quietly(oldest)

    async def _relaunch_if_gone(self) -> None:
        async with self._relaunch_lock:
            if not self._browser.is_connected():  # Chromium crashed or was killed
                self._browser = await _launch(self._playwright, self.config)

    async def stop(self) -> None:
        """Close the browser and Playwright; safe to call twice."""
        idle, self._idle = self._idle, []
        for _, context, _ in idle:
            await _close_quietly(context)
        with contextlib.suppress(PlaywrightError):
            await self._browser.close()
        with contextlib.suppress(PlaywrightError):
            await self._playwright.stop()


async def _close_quietly(context: BrowserContext) -> None:
    with contextlib.suppress(PlaywrightError):
        await context.close()


async def _launch(playwright: Playwright, config: WebConfig) -> Browser:
    visible = headed()
    executable = find_browser(playwright.chromium.executable_path, visible=visible)
    args = launch_args(config.host, isolate_network=config.isolated)
    try:
        return await playwright.chromium.launch(executable_path=executable,
                                                headless=not visible, args=args)
    except PlaywrightError as error:
        where = executable or playwright.chromium.executable_path
        raise ApplicationError(f"Chromium at {where} failed to start: "
                               f"{str(error).strip().splitlines()[0]}",
                               code="BROWSER_ERROR") from error


class ItemSession:
    """One work item's page in its own context, signed on (the ``web`` resource)."""

    def __init__(self, pool: BrowserPool, config: WebConfig | None = None) -> None:
        self._pool = pool
        self.config = config or pool.config  # another site or user on the same browser
        self._context: BrowserContext | None = None
        self._page: Page | None = None
        self._crashed = False

    async def page(self) -> Page:
        """The item's page, signed on; a crashed or closed page is replaced first."""
        if self._page is None or self._page.is_closed() or self._crashed:
            await self.reset()
            return await self._open()
        if self._on_sign_on_page():
            await self._signed_on(self._page)
        return self._page

    async def page_at(self, url: str | None) -> Page:
        """The item's page for a step: opened at `url` (relative to web.base_url) when the step
        names one, else as ``page()`` gives it; a page still blank opens at web.base_url.
        A step with its own URL takes the page as it is (``page_as_is``): a fresh batch page
        then loads that URL only, not web.base_url first."""
        if url is not None:
            page = await self.page_as_is()
            await open_page(page, self.url(url))
            return page
        return await opened(await self.page_as_is(), self.config)

    async def page_as_is(self) -> Page:
        """The item's page as ``page()`` gives it, before it opened anything of its own (an
        item's page: the same as ``page()``; a batch page: see ``bots.web.batch_session``)."""
        return await self.page()

    def url(self, path: str) -> str:
        """An absolute URL for a path relative to the recipe's ``web.base_url``."""
        return self.config.url(path)

    @property
    def has_page(self) -> bool:
        """Whether the item has an open page (something to capture as evidence)."""
        return self._page is not None and not self._page.is_closed()

    async def evidence(self, folder: Path, label: str) -> dict[str, Any]:
        """Save a screenshot and the HTML of the current page (secrets masked)."""
        if self._page is None or self._page.is_closed():
            return {}
        return await capture_page(self._page, Path(folder), label)

    async def reset(self) -> None:
        """Close the item's context so the next page() starts fresh with a new sign-on."""
        context, self._context, self._page, self._crashed = self._context, None, None, False
        if context is not None:
            await _close_quietly(context)

    async def release(self, *, ended_done: bool) -> None:
        """The item is over: its signed-on context goes back to the pool when the item ended
        done and the page is healthy (``web.reuse_sessions``); otherwise it is closed."""
        context, page = self._context, self._page
        if ended_done and self.config.reuse_sessions and self._healthy() and context and page:
            page.remove_listener("crash", self._mark_crashed)
            self._context, self._page = None, None
            await self._pool.give_back(self.config, context, page)
            return
        await self.reset()

    async def close(self) -> None:
        """Close the item's context for good."""
        await self.reset()

    def _healthy(self) -> bool:
        return self.has_page and not self._crashed and not self._on_sign_on_page()

    async def __aenter__(self) -> ItemSession:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _open(self) -> Page:
        kept = self._pool.take_idle(self.config)
        self._context, page = kept or await self._new_page()
        self._page = page
        page.on("crash", self._mark_crashed)
        maybe_crash_later(page)  # only under BOTS_CHAOS, for the soak tests
        if kept is None:
            await self._signed_on(page)
        return page

    async def _new_page(self) -> tuple[BrowserContext, Page]:
        context = self._context = await self._pool.new_context(self.config)  # reset() closes it
        return context, await new_page(context, self.config)

    async def _signed_on(self, page: Page) -> None:
        try:
            await sign_on(page, self.config)
        except BaseException:
            # half-signed-on contexts are never reused, but the page stays for evidence
            self._crashed = True
            raise

    def _mark_crashed(self, _page: Page) -> None:
        self._crashed = True

    def _on_sign_on_page(self) -> bool:
        login = self.config.login
        if login is None or self._page is None:
            return False
        return urlsplit(self._page.url).path == urlsplit(self.config.url(login.url)).path


async def new_page(context: BrowserContext, config: WebConfig) -> Page:
    """A new page whose clicks wait as long as the recipe's navigation timeout and answer
    dialogs as its ``web.dialogs`` says."""
    async with translated("opening a page"):
        page = await context.new_page()
    set_page_defaults(page, timeout_s=config.timeouts.navigation_s, dialogs=config.dialogs)
    return page


async def opened(page: Page, config: WebConfig) -> Page:
    """The page, opened at web.base_url if it is still blank (nothing loaded yet)."""
    if page.url == BLANK:
        await open_page(page, config.base_url)
    return page


def web_of(ctx: StepContext) -> ItemSession:
    """The work item's web session, for a step declared with ``needs=("web",)``."""
    session = ctx.resource("web")
    if not isinstance(session, ItemSession):
        raise ApplicationError(f"step '{ctx.step_id}': the 'web' resource is not a browser "
                               "session", code="STEP_FAILED")
    return session
