"""A recipe's explicit ``wait_for:``: a text or an element to appear or go, or a URL reached.

Texts are matched as a person reads them: Playwright's text matching collapses white space,
non-breaking spaces included ("Claim&nbsp;saved" is "Claim saved"), ignores case, finds a part
of an element's text, and looks inside open shadow roots; the recipe's text goes through
``bots.web.text.plain`` first. Only visible elements count: a hidden template holding the
message has not "appeared", and a message that is hidden has "gone". A URL with a wildcard
(``*``, ``?``, ``[``) is a glob (``**/claim/done*``); any other URL is a part of the page's
URL (``/done``). A URL reached also waits for that page's load.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from playwright.async_api import Frame, Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bots.kernel.errors import TransientError
from bots.web.guard import translated
from bots.web.targets import WaitFor
from bots.web.text import plain

GLOB_CHARS = "*?["


async def wait_for(page: Page, wait: WaitFor, timeout_s: float, after: str = "", *,
                   scope: Frame | None = None) -> None:
    """Wait until `wait` holds, up to its own timeout or `timeout_s`; else TIMEOUT naming it.

    `after` says what came before, for the message: "clicking 'Save' (the click happened)";
    `scope` is the frame whose texts and elements count (default: the page's main frame).
    """
    seconds = wait.timeout_s or timeout_s
    async with translated(f"waiting for {wait.describe()}"):
        try:
            if wait.url:
                await _url(page, wait.url, wait.state == "gone", seconds)
            else:
                await _visible(scope or page.main_frame, wait).wait_for(
                    state="hidden" if wait.state == "gone" else "visible",
                    timeout=seconds * 1000)
        except PlaywrightTimeoutError:
            raise wait_timed_out(wait.describe(), seconds, after) from None


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
