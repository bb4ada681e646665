"""Find, fill, read and click on web forms by what a person sees: labels and button texts.

Legacy screens put a label in one table cell (``Policy Number:``) and its control or value in
the next cell of the same row, and generate ids and names on every page load, so nothing here
uses ids. ``<label for>``, ``aria-label`` and placeholders are fallbacks so other sites work too.
Every navigation is checked (``bots.web.guard``) before the caller sees the page.
"""

from __future__ import annotations

from collections.abc import Sequence

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bots.kernel.errors import ApplicationError, BusinessError
from bots.web.guard import (
    check_arrival,
    check_not_expired,
    check_not_rejected,
    check_status,
    translated,
)
from bots.web.rejections import ErrorCode
from bots.web.values import FieldValue, as_text

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CELL = "*[self::td or self::th]"
CONTROL = "*[self::input[not(@type='hidden')] or self::select or self::textarea]"
TRUTHY = {"1", "true", "yes", "y", "x", "on", "checked"}
LABELS_JS = """() => [...document.querySelectorAll('td, th, label')]
  .map(el => el.innerText.trim()).filter(t => t.endsWith(':') || t.length < 40).slice(0, 40)"""
OPTIONS_JS = "el => [...el.options].map(o => [o.value, o.text.trim()])"
KIND_JS = "el => el.tagName.toLowerCase() + (el.type ? ':' + el.type.toLowerCase() : '')"


def label_key(label: str) -> str:
    """A label as compared: lower case, without surrounding spaces and a trailing colon."""
    return label.strip().rstrip(":").strip().lower()


def xpath_literal(text: str) -> str:
    """A string as an XPath literal, quotes of either kind included."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    parts = text.split("'")
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in parts) + ")"


def label_cell_xpath(label: str) -> str:
    """XPath to table cells whose whole text is the label, any case, with or without ':'."""
    key = label_key(label)
    text = f"translate(normalize-space(.), '{UPPER}', '{UPPER.lower()}')"
    variants = (key, key + ":", key + " :")
    matches = " or ".join(f"{text} = {xpath_literal(v)}" for v in variants)
    return f"//{CELL}[{matches}]"


async def present(locator: Locator) -> bool:
    """Whether the locator finds something within the action timeout."""
    try:
        await locator.first.wait_for(state="attached")
    except PlaywrightTimeoutError:
        return False
    return True


async def labels_on(page: Page) -> list[str]:
    """The label-like texts on the page, to say what was there when a label is missing."""
    async with translated("listing the page's labels"):
        found: list[str] = await page.evaluate(LABELS_JS)
    return found


async def _missing(page: Page, what: str) -> ApplicationError:
    seen = ", ".join(repr(text) for text in await labels_on(page) if text)
    return ApplicationError(f"No {what} on {page.url}; the page shows: {seen or 'nothing'}. "
                            f"Check the recipe against the screen.", code="STEP_FAILED",
                            url=page.url)


def _in_row(page: Page, label: str) -> Locator:
    """Controls in the cell right of a table cell whose text is the label."""
    return page.locator(f"xpath={label_cell_xpath(label)}/following-sibling::{CELL}[1]"
                        f"//{CONTROL}")


async def control(page: Page, label: str) -> Locator:
    """The input, select or textarea for a visible label (table row, <label>, placeholder)."""
    in_row = _in_row(page, label)
    candidates = [in_row, page.get_by_label(label.strip().rstrip(":"), exact=True),
                  page.get_by_placeholder(label.strip(), exact=True)]
    async with translated(f"looking for the field '{label}'"):
        if await in_row.count():  # the usual case, on a loaded page: no waiting
            return in_row.first
        if await present(candidates[0].or_(candidates[1]).or_(candidates[2])):
            for candidate in candidates:
                if await candidate.count():
                    return candidate.first
    raise await _missing(page, f"field labelled '{label}'")


async def field_and_kind(page: Page, label: str) -> tuple[Locator, str]:
    """The control for a label and its kind ('input:text', 'select', ...).

    One browser call finds a control in a table row and tells its kind; others are waited for.
    """
    in_row = _in_row(page, label)
    async with translated(f"looking for the field '{label}'"):
        kinds: list[str] = await in_row.evaluate_all(f"els => els.map({KIND_JS})")
    if kinds:
        return in_row.first, kinds[0]
    field = await control(page, label)
    async with translated(f"looking for the field '{label}'"):
        return field, await field.evaluate(KIND_JS)


async def fill(page: Page, label: str, value: str) -> None:
    """Type a value into the field with this label (choose it in a select, tick a checkbox)."""
    field, kind = await field_and_kind(page, label)
    async with translated(f"filling '{label}'"):
        if kind.startswith("select"):
            await _choose(field, label, value)
        elif kind in ("input:checkbox", "input:radio"):
            await field.set_checked(value.strip().lower() in TRUTHY)
        else:
            await field.fill(value)


async def _choose(field: Locator, label: str, value: str) -> None:
    options: list[list[str]] = await field.evaluate(OPTIONS_JS)
    await field.select_option(value=pick_option(options, value, label))


def pick_option(options: list[list[str]], wanted: str, label: str = "") -> str:
    """The option value for a code or a text: exact code, exact text, then text containing it."""
    key = wanted.strip().lower()
    rules = (lambda v, t: v == wanted.strip(), lambda v, t: v.lower() == key,
             lambda v, t: t.lower() == key, lambda v, t: key in t.lower())
    for rule in rules:
        hits = [value for value, text in options if rule(value, text)]
        if len(hits) == 1 or (hits and rule is not rules[-1]):
            return hits[0]
        if len(hits) > 1:
            raise _no_option(label, wanted, options, "matches several options")
    raise _no_option(label, wanted, options, "matches no option")


def _no_option(label: str, wanted: str, options: list[list[str]], why: str) -> BusinessError:
    listed = ", ".join(text for value, text in options if value)
    return BusinessError(f"'{label}': {wanted!r} {why}; the options are: {listed}",
                         code="FIELD_INVALID", field=label, value=wanted)


async def read(page: Page, label: str) -> str:
    """The value shown next to a label: the next cell's text, or a control's current value."""
    cells = page.locator(f"xpath={label_cell_xpath(label)}/following-sibling::{CELL}[1]")
    async with translated(f"reading '{label}'"):
        for index in range(await cells.count()):
            cell = cells.nth(index)
            if not await cell.locator(f"xpath=.//{CONTROL}").count():
                return str(await cell.inner_text()).strip()
    field = await control(page, label)
    async with translated(f"reading '{label}'"):
        return str(await field.input_value()).strip()


async def page_text(page: Page) -> str:
    """The visible text of the whole page."""
    async with translated("reading the page"):
        return str(await page.inner_text("body"))


async def open_page(page: Page, url: str) -> None:
    """Go to a URL and check where we landed (5xx, expired session, red errors)."""
    async with translated(f"opening {url}"):
        response = await page.goto(url)
    await check_arrival(page, response, url)


def _button(page: Page, text: str) -> Locator:
    name = text.strip()
    # input[type=submit] is a button whose accessible name is its value
    return (page.get_by_role("button", name=name, exact=True)
            .or_(page.get_by_role("link", name=name, exact=True)))


async def submit(page: Page, text: str, *, reject_red: bool = True,
                 errors: Sequence[ErrorCode] = ()) -> None:
    """Click a button or link by its text and wait for the next page, then check it.

    Red text raises a BusinessError coded by ``errors`` (default VALIDATION_REJECTED); with
    ``reject_red=False`` it is left for the caller (a "not found" message).
    """
    target = _button(page, text)
    async with translated(f"clicking '{text}'"):
        if not await present(target):
            raise await _missing(page, f"button or link '{text}'")
        async with page.expect_navigation() as navigation:
            await target.first.click()
        response = await navigation.value
    check_status(response, page.url)
    await check_not_expired(page)
    if reject_red:
        await check_not_rejected(page, errors)


async def fill_all(page: Page, fields: dict[str, FieldValue]) -> dict[str, str]:
    """Fill every {label: value} in order; returns the texts typed, by label."""
    typed = {label: as_text(label, value) for label, value in fields.items()}
    for label, text in typed.items():
        await fill(page, label, text)
    return typed
