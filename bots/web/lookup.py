"""Choose a value through a lookup popup: "..." beside a field opens a window listing records,
and a "Select" link in a record's row writes its code into the field and closes the window.

Typing the code is usually enough; a lookup is for screens that only take a chosen value.
The row is the one with a cell whose whole text is ``select_text`` (any case); the field must
then hold a value, or the popup did not do its job.
"""

from __future__ import annotations

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page
from pydantic import Field, field_validator

from bots.kernel import StepParams
from bots.kernel.errors import ApplicationError, BusinessError
from bots.web.forms import UPPER, Where, control, label_cell_xpath, screen_of, xpath_literal
from bots.web.guard import translated
from bots.web.rejections import stable_code


class Lookup(StepParams):
    """A lookup popup: the button that opens it, the row to pick and the link that picks it."""

    field: str = Field(description="The label of the field the popup fills, e.g. "
                                   "'Product Code'.")
    button: str = Field("...", description="The text of the button that opens the popup.")
    select_text: str = Field(description="A cell text of the row to choose, e.g. "
                                         "'${each.product_code}'.")
    link: str = Field("Select", description="The link or button in that row that chooses it.")
    code: str = Field("FIELD_INVALID", description="The exception code when no row of the "
                                                   "popup shows select_text.")

    @field_validator("code")
    @classmethod
    def _stable_code(cls, value: str) -> str:
        return stable_code(value)


async def choose_in_popup(where: Where, lookup: Lookup) -> str:
    """Open the popup, pick the row, and return the value the field then holds."""
    screen = screen_of(where)
    page = screen.page
    opener = await _opener_button(page, lookup)
    async with translated(f"opening the lookup '{lookup.button}' of '{lookup.field}'"):
        async with page.expect_popup() as waiting:
            await opener.click()
        popup = await waiting.value
        await popup.wait_for_load_state()
    try:
        await _pick(popup, lookup)
    finally:
        async with translated("closing the lookup popup"):
            if not popup.is_closed():
                await popup.close()
    return await _chosen(screen, lookup)


async def _opener_button(page: Page, lookup: Lookup) -> Locator:
    """The lookup button in the field's own row (several fields may have a '...')."""
    row = page.locator(f"xpath={label_cell_xpath(lookup.field)}/parent::tr")
    for scope in (row, page):
        button = scope.get_by_role("button", name=lookup.button, exact=True)
        async with translated(f"looking for the lookup button '{lookup.button}'"):
            if await button.count():
                return button.first
    raise ApplicationError(f"No button '{lookup.button}' beside '{lookup.field}' on {page.url}; "
                           f"check the recipe's lookup.", code="STEP_FAILED", url=page.url)


def _row_xpath(text: str) -> str:
    cell = f"translate(normalize-space(.), '{UPPER}', '{UPPER.lower()}')"
    return f"//tr[*[self::td or self::th][{cell} = {xpath_literal(text.strip().lower())}]]"


async def _pick(popup: Page, lookup: Lookup) -> None:
    row = popup.locator(f"xpath={_row_xpath(lookup.select_text)}")
    async with translated(f"choosing '{lookup.select_text}' in the lookup"):
        if not await row.count():  # the popup has loaded: no need to wait for rows
            raise BusinessError(f"The lookup of '{lookup.field}' has no row "
                                f"'{lookup.select_text}'", code=lookup.code,
                                field=lookup.field, value=lookup.select_text)
        link = (row.first.get_by_role("link", name=lookup.link, exact=True)
                .or_(row.first.get_by_role("button", name=lookup.link, exact=True)))
        async with popup.expect_event("close"):
            await _click_closing(popup, link.first)


async def _click_closing(popup: Page, link: Locator) -> None:
    """Click a link that closes its own window: the window may go while the click returns."""
    try:
        await link.click(no_wait_after=True)
    except PlaywrightError:
        if not popup.is_closed():
            raise


async def _chosen(screen: Where, lookup: Lookup) -> str:
    field = await control(screen, lookup.field)
    page = screen_of(screen).page
    async with translated(f"reading '{lookup.field}' after the lookup"):
        value = str(await field.input_value()).strip()
    if not value:
        raise ApplicationError(f"The lookup left '{lookup.field}' empty on {page.url}",
                               code="STEP_FAILED", url=page.url)
    return value
