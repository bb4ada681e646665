"""Key one block of fields per element of a list: order lines added one by one to a grid.

The engine resolves ``for_each`` to a list of mappings and leaves ``${each.<field>}`` alone; the
block is resolved here once per element, filled, submitted ("Add line"), and optionally checked
against the row the system added (``verify``: the grid must gain a row, and its columns must
show what the element says, e.g. the unit price within 2%).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from playwright.async_api import Page
from pydantic import Field, ValidationError

from bots.kernel import StepParams
from bots.kernel.errors import ApplicationError, BusinessError
from bots.kernel.refs import resolve
from bots.web.forms import Where, fill_all, screen_of, submit
from bots.web.grid import find_grid, require_grid
from bots.web.lookup import Lookup, choose_in_popup
from bots.web.rejections import ErrorCode
from bots.web.targets import ButtonRef
from bots.web.values import FieldValue
from bots.web.verify import RowCheck, check_record


class RepeatedRow(StepParams):
    """The block keyed for one element: ``${each.<field>}`` names the element's values."""

    fields: dict[str, FieldValue] = Field(
        default_factory=dict, description="Field label -> value for one element, e.g. "
                                          "{'Quantity': '${each.quantity}'}.")
    lookup: Lookup | None = Field(
        None, description="Choose a value in a lookup popup instead of typing it.")
    submit: ButtonRef = Field(description="The button clicked once per element, e.g. 'Add "
                                           "line', or {text|selector, frame, wait_for, dialog}.")
    verify: RowCheck | None = Field(
        None, description="After each click, check the row the system added.")


class RepeatBlock(RepeatedRow):
    """A block of fields keyed once per element of a list (``repeat:`` in a form page)."""

    for_each: list[dict[str, Any]] = Field(
        min_length=1, description="The elements, usually a reference such as '${order.lines}'.")
    name: str = Field("rows", description="The key of the keyed rows in a dry run's "
                                          "would_submit.")

    def for_element(self, element: dict[str, Any], number: int) -> RepeatedRow:
        """The block with ``${each.<field>}`` replaced by this element's values."""
        template = self.model_dump(exclude={"for_each", "name"}, exclude_none=True)
        try:
            return RepeatedRow.model_validate(resolve(template, {"each": element}))
        except BusinessError as error:
            raise BusinessError(f"{self.name} {number}: {error.message}", code=error.code,
                                **error.details) from error
        except ValidationError as error:
            first = error.errors()[0]
            raise BusinessError(f"{self.name} {number}: {first['msg']} "
                                f"(got {first.get('input')!r})", code="FIELD_INVALID") from error


async def add_rows(where: Where, block: RepeatBlock,
                   errors: Sequence[ErrorCode] = ()) -> list[dict[str, str]]:
    """Key every element of the block; the texts typed for each, in order."""
    screen = screen_of(where)
    return [await add_row(screen, block.for_element(element, number), number, block.name,
                          errors) for number, element in enumerate(block.for_each, start=1)]


async def add_row(where: Where, row: RepeatedRow, number: int, name: str,
                  errors: Sequence[ErrorCode] = ()) -> dict[str, str]:
    """Fill one element's fields, click its button, and verify the row it added."""
    screen = screen_of(where)
    page = screen.page
    typed = await fill_all(screen, row.fields)
    if row.lookup:
        typed[row.lookup.field] = await choose_in_popup(screen, row.lookup)
    before = await _row_count(page, row.verify)
    await submit(screen, row.submit, errors=errors)
    if row.verify:
        await _verify_added_row(page, row.verify, before, f"{name} {number}")
    return typed


async def _row_count(page: Page, verify: RowCheck | None) -> int:
    if verify is None:
        return 0
    grid = await find_grid(page, verify.columns)
    return len(grid.rows) if grid else 0


async def _verify_added_row(page: Page, verify: RowCheck, before: int, what: str) -> None:
    grid = await require_grid(page, verify.columns)
    if len(grid.rows) <= before:
        raise ApplicationError(f"{what}: the grid on {page.url} still has {len(grid.rows)} "
                               f"row(s) after the click, so no row was added to verify",
                               code="STEP_FAILED", url=page.url)
    where = f"{what} (grid row {len(grid.rows)})"
    check_record(grid.record(-1), verify.columns, where)
