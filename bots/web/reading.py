"""Read what a page shows: the value for a label, an element's text, or a pattern's match.

``read_value`` finds a value the ways real pages show one: the next table cell (legacy
screens), the cell below in a row of labels over a row of fields, the one data row under a
header cell, a ``<dt>``/``<dd>`` pair, "Label: value" in one line of text, the text or control
just after a label, a ``<label>``'s control, a checkbox before its label, a fieldset's legend
over a radio group (the ticked choice), aria-label, aria-labelledby and a placeholder. It asks
the browser once. Several different values for one label are an
ambiguity the recipe must settle (``selector:``, ``pattern:``); a header over several rows is a
table, read with ``tables:`` (``bots.web.tables``). Values come back as a person reads them:
spaces plain, a select's chosen text, a checkbox as yes/no.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any, TypeVar

from playwright.async_api import Frame, Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bots.kernel.errors import BusinessError, TransientError
from bots.web.find_frame import frame_of
from bots.web.guard import translated
from bots.web.reading_js import DEEP_TEXT_JS, READ_VALUE_JS, SHOWN_JS
from bots.web.targets import ControlMissing, WaitFor
from bots.web.text import label_key, plain

POLL_S = 0.1  # how often a value still being drawn is looked for again
T = TypeVar("T")


async def scope_of(page: Page, frame: str | None) -> Frame:
    """Where to read: the page's main frame, or the iframe ``frame:`` names, once loaded."""
    scope = await frame_of(page, frame)
    if frame:
        async with translated(f"waiting for the frame {frame!r} to load"):
            await scope.wait_for_load_state()
    return scope


async def polled(ask: Callable[[], Awaitable[T]], done: Callable[[T], bool],
                 wait_s: float) -> T:
    """Ask until the answer is done or `wait_s` has passed: client-rendered pages draw late."""
    deadline = time.monotonic() + wait_s
    answer = await ask()
    while not done(answer) and time.monotonic() < deadline:
        await asyncio.sleep(POLL_S)
        answer = await ask()
    return answer


async def read_value(page: Page, label: str, *, frame: str | None = None,
                     wait_s: float = 0.0) -> str:
    """The value the page shows for a label (see the module's docstring for the ways);
    up to `wait_s` seconds for it to be drawn."""
    scope = await scope_of(page, frame)

    async def ask() -> dict[str, Any]:
        async with translated(f"reading '{label}'"):
            answer: dict[str, Any] = await scope.evaluate(READ_VALUE_JS, label_key(label))
        return answer

    answer = await polled(ask, lambda answer: bool(answer["found"] or answer["several"]),
                          wait_s)
    return one_value(page.url, label, answer)


def one_value(url: str, label: str, answer: dict[str, Any]) -> str:
    """The one value among the browser's candidates; SCREEN_MISMATCH for none or several."""
    values = list(dict.fromkeys(found["value"] for found in answer["found"]))
    if len(values) > 1 and "" in values:  # an empty box beside a shown value: the value
        values.remove("")
    shown = list(dict.fromkeys(found["value"] for found in answer["found"]
                               if found["value"] and not found.get("editable")))
    if len(values) > 1 and len(shown) == 1:  # a box to type in beside the value shown: the value
        values = shown
    if len(values) == 1:
        return str(values[0])
    if values:
        raise _ambiguous(url, label, [item for item in answer["found"] if item["value"]])
    if answer["several"]:
        raise _column(url, label, answer["several"][0])
    seen = [str(text) for text in answer["seen"]]
    listed = ", ".join(repr(text) for text in seen) or "no labels"
    raise ControlMissing(f"No value labelled '{label}' on {url}; the page shows: {listed}. "
                         "Check the label against the screen, or read it by selector: or "
                         "pattern:.", what="value", name=label, seen=seen, url=url)


def _ambiguous(url: str, label: str, found: list[dict[str, Any]]) -> ControlMissing:
    candidates = [f"{item['value']!r} ({item['how']}{' ' + item['at'] if item['at'] else ''})"
                  for item in found]
    return ControlMissing(f"'{label}' shows {len(candidates)} different values on {url}: "
                          f"{', '.join(candidates)}. Read it by selector: or pattern: to say "
                          "which.", what="value", name=label, candidates=candidates, url=url)


def _column(url: str, label: str, column: dict[str, Any]) -> BusinessError:
    """Several records where the recipe reads one: about this item's data (two claims with one
    reference), not the recipe, so the item goes to a person and the batch goes on."""
    values = [str(value) for value in column["values"]]
    return BusinessError(
        f"'{label}' heads a column of a table with {column['rows']} rows on {url} (first: "
        f"{', '.join(repr(v) for v in values)}), not one value: the search found several "
        f"records. Check them by hand, or read the table with tables: "
        f"{{name: {{headers: ['{column['header']}']}}}}.",
        code="SEVERAL_MATCHES", field=label, candidates=values, rows=column["rows"], url=url)


async def read_selector(page: Page, selector: str, *, frame: str | None = None,
                        every: bool = False, required: bool = True,
                        wait_s: float = 0.0) -> str | list[str] | None:
    """The text of the element at a selector (a control's value); with `every`, of each.

    One element is waited for up to `wait_s` seconds; a list may be empty.
    """
    scope = await scope_of(page, frame)
    target = scope.locator(selector)
    async with translated(f"reading {selector!r}"):
        if wait_s and not every and not await target.count():
            with suppress(PlaywrightTimeoutError):
                await target.first.wait_for(state="attached", timeout=wait_s * 1000)
        texts: list[str] = await target.evaluate_all(SHOWN_JS)
    if every:
        return texts
    if len(texts) == 1:
        return texts[0]
    if texts:
        raise ControlMissing(f"{selector!r} matches {len(texts)} elements on {page.url} "
                             f"({', '.join(repr(t) for t in texts[:5])}); make it match one, "
                             "or read every one with all: true.", what="value", name=selector,
                             candidates=texts[:10], url=page.url)
    _absent(page.url, selector, required, f"No element matches {selector!r}")
    return None


async def read_pattern(page: Page, pattern: str, *, frame: str | None = None,
                       required: bool = True, wait_s: float = 0.0) -> str | None:
    """The match of a regular expression over the page's visible text, spaces plain.

    The value is the first named group, else group 1, else the whole match; the text is read
    again for up to `wait_s` seconds until it matches.
    """
    scope = await scope_of(page, frame)

    async def ask() -> str:
        async with translated(f"reading the pattern {pattern!r}"):
            return plain(await scope.evaluate(DEEP_TEXT_JS))

    text = await polled(ask, lambda text: re.search(pattern, text) is not None, wait_s)
    match = re.search(pattern, text)
    if match is None:
        _absent(page.url, pattern, required, f"Nothing matches the pattern {pattern!r}",
                shown=text[:300])
        return None
    return plain(match.group(_group_of(match.re)) or "")


def _group_of(compiled: re.Pattern[str]) -> int | str:
    if compiled.groupindex:
        return min(compiled.groupindex.items(), key=lambda item: item[1])[0]
    return 1 if compiled.groups else 0


def _absent(url: str, name: str, required: bool, what: str, shown: str = "") -> None:
    """Nothing to read: SCREEN_MISMATCH, unless the recipe said the value is optional."""
    if not required:
        return
    page_says = f"; the page shows: {shown!r}" if shown else ""
    raise ControlMissing(f"{what} on {url}{page_says}. Check the recipe against the screen "
                         "(required: false reads nothing instead).", what="value", name=name,
                         url=url)


async def wait_until(page: Page, wait_for: WaitFor, *, timeout_s: float,
                     frame: str | None = None) -> None:
    """Wait for a text or element to appear (or go), or for the page to reach a URL."""
    seconds = wait_for.timeout_s or timeout_s
    scope = await scope_of(page, frame)
    try:
        async with translated(f"waiting for {wait_for.describe()}"):
            if wait_for.url:
                await page.wait_for_url(_url_matcher(wait_for.url), timeout=seconds * 1000)
                return
            target = (scope.get_by_text(plain(wait_for.text)) if wait_for.text
                      else scope.locator(str(wait_for.selector)))
            await target.first.wait_for(state="hidden" if wait_for.state == "gone"
                                        else "visible", timeout=seconds * 1000)
    except TransientError as error:
        if error.code != "TIMEOUT":
            raise
        raise TransientError(f"Waited {seconds:g} s for {wait_for.describe()} on {page.url}; "
                             "it did not happen.", code="TIMEOUT", url=page.url,
                             waited_for=wait_for.describe()) from error


def _url_matcher(url: str) -> str | Callable[[str], bool]:
    """A glob as Playwright reads it; without wildcards, a part of the URL."""
    return url if "*" in url else (lambda current: url in current)
