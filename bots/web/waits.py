"""A recipe's explicit ``wait_for:``: a text or an element to appear or go, or a URL reached.

Texts are matched as a person reads them: Playwright's text matching collapses white space,
non-breaking spaces included ("Claim&nbsp;saved" is "Claim saved"), ignores case, finds a part
of an element's text, and looks inside open shadow roots; the recipe's text goes through
``bots.web.text.plain`` first. Only visible elements count: a hidden template holding the
message has not "appeared", and a message that is hidden has "gone". A URL with a wildcard
(``*``, ``?``, ``[``) is a glob (``**/claim/done*``); any other URL is a part of the page's
URL (``/done``). A URL reached also waits for that page's load.

After a click, red error text (``bots.web.guard``) also ends the wait: a screen that refuses
a submit shows its error instead of the confirmation the recipe waits for.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Coroutine, Sequence
from fnmatch import fnmatchcase
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bots.kernel.errors import TransientError
from bots.web.guard import RED_ERRORS_JS, translated
from bots.web.targets import WaitFor
from bots.web.text import plain

GLOB_CHARS = "*?["
RED_POLL_S = 0.15  # how often a wait also looks for red error text (one evaluation)


async def wait_for(page: Page, wait: WaitFor, timeout_s: float, after: str = "", *,
                   scope: Frame | Sequence[Frame] | None = None,
                   or_red_errors: bool = False) -> bool:
    """Wait until `wait` holds, up to its own timeout or `timeout_s`; else TIMEOUT naming it.

    `after` says what came before, for the message: "clicking 'Save' (the click happened)";
    `scope` is the frame (or frames) whose texts and elements count (default: the page's main
    frame): a text or element appears in any of them, and goes from all of them.
    With `or_red_errors`, red error text on the page ends the wait too (a submit refused
    instead of confirmed: the caller's rejection check says why): then False.
    """
    seconds = wait.timeout_s or timeout_s
    scopes = [scope] if isinstance(scope, Frame) else list(scope or [page.main_frame])
    holds = _holds(page, wait, seconds, scopes)
    async with translated(f"waiting for {wait.describe()}"):
        try:
            if not or_red_errors:
                await holds
                return True
            return await _first(holds, _red_errors_shown(page, seconds))
        except PlaywrightTimeoutError:
            raise wait_timed_out(wait.describe(), seconds, after) from None


async def _holds(page: Page, wait: WaitFor, seconds: float, scopes: list[Frame]) -> bool:
    if wait.url:
        await _url(page, wait.url, wait.state == "gone", seconds)
    elif wait.state == "gone":
        for scope in scopes:
            await _visible(scope, wait).wait_for(state="hidden", timeout=seconds * 1000)
    else:
        await _first(*(_appears(scope, wait, seconds) for scope in scopes))
    return True


async def _appears(scope: Frame, wait: WaitFor, seconds: float) -> bool:
    await _visible(scope, wait).wait_for(state="visible", timeout=seconds * 1000)
    return True


async def _red_errors_shown(page: Page, seconds: float) -> bool:
    """Wait until the page shows red error text (False); never returns otherwise (the wait
    it races ends first, by holding or by its timeout)."""
    deadline = time.monotonic() + seconds + 1
    while time.monotonic() < deadline:
        # first look after one poll: a confirmation usually comes sooner, and a look at every
        # element's colour while the page is still drawing it slows the wait it races
        await asyncio.sleep(RED_POLL_S)
        with contextlib.suppress(PlaywrightError):  # a navigation under the evaluation
            if await page.evaluate(RED_ERRORS_JS):
                return False
    await asyncio.sleep(seconds)
    return False


async def _first(*waits: Coroutine[Any, Any, bool]) -> bool:
    """The answer of the wait that ends first (its exception, if it failed); the others are
    cancelled."""
    tasks = [asyncio.ensure_future(wait) for wait in waits]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        return next(iter(done)).result()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _visible(scope: Frame, wait: WaitFor) -> Locator:
    found = (scope.get_by_text(plain(wait.text)) if wait.text
             else scope.locator(str(wait.selector)))
    return found.filter(visible=True).first


async def _url(page: Page, url: str, gone: bool, seconds: float) -> None:
    glob = any(char in url for char in GLOB_CHARS)

    def matches(current: str) -> bool:
        return (fnmatchcase(current, url) if glob else url in current) != gone

    await page.wait_for_url(url if glob and not gone else matches, timeout=seconds * 1000)


def wait_timed_out(what: str, seconds: float, after: str = "") -> TransientError:
    """TIMEOUT whose message names what was waited for, how long, and what came before."""
    before = f", after {after}" if after else ""
    return TransientError(f"Timed out after {seconds:g} s waiting for {what}{before}.",
                          code="TIMEOUT", waited_for=what, timeout_s=seconds)
