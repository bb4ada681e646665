"""Fill, read and submit web forms by what a person sees: labels and button texts.

Every field and button is found through a ``bots.web.screen.Screen`` (``bots.web.find``: the
ways real pages label controls, or the recipe's ``selector:``/``frame:``; healed from its
fingerprint when the step may heal); a bare ``Page`` is taken too and gets a Screen without
memory. Filling goes by the control's kind (``bots.web.controls``). Every submit is checked
(``bots.web.guard``) before the caller sees the page: status, expired session, red errors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from playwright.async_api import Locator, Page

from bots.web.clicks import Clicked, click_and_wait
from bots.web.controls import fill_control
from bots.web.controls import pick_option as pick_option  # kept where callers found it
from bots.web.find_ahead import find_ahead, forget_ahead
from bots.web.guard import (
    check_arrival,
    check_landed,
    check_status,
    translated,
)
from bots.web.reading import read_value
from bots.web.rejections import ErrorCode
from bots.web.screen import Screen
from bots.web.targets import ButtonRef, Found, as_button
from bots.web.text import label_key
from bots.web.values import FieldValue, FormattedValue

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CELL = "*[self::td or self::th]"

Where = Page | Screen
READ_WAIT_S = 2.0  # a result drawn a moment after its page (client-rendered confirmations)
# kinds whose filling leaves the rest of the form as it was (typing; no choice made)
TYPED = {"input:text", "input:email", "input:tel", "input:number", "input:password",
         "input:search", "input:url", "textarea", "contenteditable"}


def screen_of(where: Where) -> Screen:
    """The Screen to find controls on (a bare Page: one without memory, so no healing)."""
    return where if isinstance(where, Screen) else Screen(where)


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


async def found_field(where: Where, label: str, value: FieldValue = None) -> Found:
    """The control for a field: by its label, or the value's ``selector:``/``frame:``."""
    screen = screen_of(where)
    if isinstance(value, FormattedValue) and _escaped(value):
        return await screen.field(label, selector=value.selector, frame=value.frame)
    return await screen.field(label)


async def control(where: Where, label: str) -> Locator:
    """The input, select, textarea or radio group for a visible label."""
    return (await found_field(where, label)).locator


async def field_and_kind(where: Where, label: str) -> tuple[Locator, str]:
    """The control for a label and its kind ('input:text', 'select', 'radio-group', ...)."""
    found = await found_field(where, label)
    return found.locator, found.kind


async def fill(where: Where, label: str, value: FieldValue) -> str:
    """Put a value into the field with this label, whatever its kind; the text typed."""
    return await fill_control(await found_field(where, label, value), label, value)


async def fill_all(where: Where, fields: dict[str, FieldValue]) -> dict[str, str]:
    """Fill every {label: value} in order; returns the texts typed, by label.

    The fields named by label are found in one browser call first (``bots.web.find_ahead``);
    a choice (select, radio, checkbox, date, file) may redraw the fields after it, so the
    fields after one are searched afresh.
    """
    screen, typed = screen_of(where), {}
    await find_ahead(screen.page, [label for label, value in fields.items()
                                   if not _escaped(value)])
    try:
        for label, value in fields.items():
            found = await found_field(screen, label, value)
            typed[label] = await fill_control(found, label, value)
            if found.kind not in TYPED:
                forget_ahead(screen.page)
    finally:
        forget_ahead(screen.page)
    return typed


def _escaped(value: FieldValue) -> bool:
    return isinstance(value, FormattedValue) and bool(value.selector or value.frame)


async def read(where: Where, label: str) -> str:
    """The value shown for a label (``bots.web.reading``: the next cell, the one row under a
    header, dt/dd, "Label: value", a control's value); several result rows under the label
    are SEVERAL_MATCHES, never the heading read as a value."""
    page = screen_of(where).page
    return await read_value(page, label, wait_s=READ_WAIT_S)


async def page_text(page: Page) -> str:
    """The visible text of the whole page."""
    async with translated("reading the page"):
        return str(await page.inner_text("body"))


async def open_page(page: Page, url: str) -> None:
    """Go to a URL and check where we landed (5xx, expired session, red errors)."""
    async with translated(f"opening {url}"):
        response = await page.goto(url)
    await check_arrival(page, response, url)


async def submit(where: Where, ref: ButtonRef, *, reject_red: bool = True,
                 errors: Sequence[ErrorCode] = (),
                 before_click: Callable[[], None] | None = None) -> Clicked:
    """Click a button or link and wait for its effect, then check the page.

    ``before_click`` runs once the button is found, right before the click (a side-effect
    step says there that its submit starts). Red text raises a BusinessError coded by
    ``errors`` (default VALIDATION_REJECTED); with ``reject_red=False`` it is left for the
    caller (a "not found" message).
    """
    screen, button = screen_of(where), as_button(ref)
    found = await screen.button(button)
    if before_click is not None:
        before_click()
    clicked = await click_and_wait(screen.page, found, button)
    check_status(clicked.response, screen.page.url)
    await check_landed(screen.page, errors, reject_red=reject_red)
    return clicked
