"""What a page means after each navigation, and Playwright's failures in our error codes.

Every web step goes through here so that steps never leak Playwright exceptions: a timeout is
``TIMEOUT``, a closed or crashed page ``BROWSER_ERROR``, a 5xx ``SERVER_ERROR``, the sign-on
page with the expiry message ``SESSION_EXPIRED`` (all transient, so the engine retries), and red
error text on the page ``VALIDATION_REJECTED`` or the recipe's code for that text (the data
is wrong, never retried; ``bots.web.rejections``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Response
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bots.kernel.errors import ApplicationError, BotError, TransientError
from bots.web.rejections import ErrorCode, rejection
from bots.web.text import plain

EXPIRED_TEXT = "session has expired"
BROWSER_GONE = ("closed", "crash", "disconnected")

# Red text is how legacy screens say "no": `.err` elements, or any visible element whose own
# text is drawn in a red colour; nested matches are reported once, by the outermost element.
# Open shadow roots are searched too; a red mark without a letter or digit (the "*" of a
# required field) says nothing, and a message kept invisible (hidden, transparent) is unsaid.
RED_ERRORS_JS = """() => {
  const isRed = (colour) => {
    const m = colour.match(/rgba?\\((\\d+),\\s*(\\d+),\\s*(\\d+)/);
    return !!m && +m[1] >= 150 && +m[2] < 90 && +m[3] < 90;
  };
  const ownText = (el) => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  const says = (el) => /[\\p{L}\\p{N}]/u.test(el.innerText || '');
  const everyElement = (root) => [...root.querySelectorAll('*')].flatMap(
    el => el.shadowRoot ? [el, ...everyElement(el.shadowRoot)] : [el]);
  const found = everyElement(document.body).filter(el =>
    el.checkVisibility({visibilityProperty: true, opacityProperty: true}) && says(el) &&
    (el.matches('.err') || (ownText(el) && isRed(getComputedStyle(el).color))));
  const outermost = found.filter(el => !found.some(o => o !== el && o.contains(el)));
  return [...new Set(outermost.map(el => el.innerText.trim()))];
}"""

# A sign-on page (it has a password box) that says the session expired; the message alone could
# be a claim's description quoting it. Spaces (non-breaking ones too) compare as one space.
EXPIRED_JS = """(phrase) => !!document.querySelector('input[type=password]') &&
  document.body.innerText.replace(/[\\s\\u200b]+/g, ' ').toLowerCase().includes(phrase)"""
# Both questions asked after a submit, in one evaluation (one round trip per submit, not two).
VERDICT_JS = f"""(phrase) => ({{expired: ({EXPIRED_JS})(phrase), red: ({RED_ERRORS_JS})()}})"""


@asynccontextmanager
async def translated(doing: str) -> AsyncIterator[None]:
    """Run browser actions, turning Playwright exceptions into the toolkit's errors."""
    try:
        yield
    except BotError:
        raise
    except PlaywrightTimeoutError as error:
        raise TransientError(f"Timed out while {doing}: {_first_line(error)}",
                             code="TIMEOUT") from error
    except PlaywrightError as error:
        raise playwright_error(error, doing) from error


def playwright_error(error: Exception, doing: str) -> BotError:
    """The toolkit error for a Playwright failure (other than a timeout)."""
    message = _first_line(error)
    lowered = message.lower()
    if "net::err_" in lowered:
        return TransientError(f"Could not reach the site while {doing}: {message}",
                              code="SERVER_ERROR")
    if any(word in lowered for word in BROWSER_GONE):
        return TransientError(f"The browser page was closed or crashed while {doing}: "
                              f"{message}", code="BROWSER_ERROR")
    return ApplicationError(f"The browser failed while {doing}: {message}", code="STEP_FAILED")


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def check_status(response: Response | None, url: str) -> None:
    """A 5xx answer is the server's trouble, not ours: transient SERVER_ERROR."""
    if response is not None and response.status >= 500:
        raise TransientError(f"{url} answered HTTP {response.status} "
                             f"({response.status_text or 'server error'})",
                             code="SERVER_ERROR", status=response.status, url=url)


async def check_not_expired(page: Page) -> None:
    """Landing on the sign-on page with the expiry message: transient SESSION_EXPIRED."""
    async with translated("reading the page"):
        expired_here = await page.evaluate(EXPIRED_JS, EXPIRED_TEXT)
    if expired_here:
        raise expired(page)


async def red_errors(page: Page) -> list[str]:
    """The error messages the page shows in red, outermost elements first, without repeats."""
    async with translated("reading the page's error messages"):
        found: list[str] = await page.evaluate(RED_ERRORS_JS)
    return list(dict.fromkeys(plain(text) for text in found))


async def check_landed(page: Page, rules: Sequence[ErrorCode] = (), *,
                       reject_red: bool = True) -> None:
    """After a submit: an expired session (transient SESSION_EXPIRED) first, then red error
    text (the rules' code, else VALIDATION_REJECTED) unless `reject_red` is off; one look."""
    async with translated("reading the page"):
        verdict = await page.evaluate(VERDICT_JS, EXPIRED_TEXT)
    if verdict["expired"]:
        raise expired(page)
    errors = list(dict.fromkeys(plain(text) for text in verdict["red"]))
    if reject_red and errors:
        raise rejection(errors, rules, page.url)


def expired(page: Page) -> TransientError:
    """SESSION_EXPIRED for the page the session ended on."""
    return TransientError(f"The session expired (redirected to {page.url}); "
                          f"a new sign-on is needed.", code="SESSION_EXPIRED", url=page.url)


async def check_not_rejected(page: Page, rules: Sequence[ErrorCode] = ()) -> None:
    """Red error text after a submit: the system refused a value, VALIDATION_REJECTED
    unless one of the recipe's rules gives the message a sharper code."""
    errors = await red_errors(page)
    if errors:
        raise rejection(errors, rules, page.url)


async def check_arrival(page: Page, response: Response | None, url: str) -> None:
    """Every check after a navigation or submit, in the order that gives the truest code."""
    check_status(response, url)
    await check_landed(page)
