"""web.search_record: look a record up on a search screen and read values from the result.

Besides reading, a search can stop an item (``found: {code}``: the order is already keyed) or
move on from the result (``then``: click "Start Order" on the customer found). Without
``url:`` it searches on the page as it is (a batch session's page); ``submit:`` and ``then:``
take a button's text or ``{text|selector, frame, wait_for, dialog}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field, field_validator

from bots.kernel import StepContext, StepParams, step
from bots.kernel.errors import BusinessError
from bots.kernel.outputs import VALUE, Outputs, keys
from bots.steps.web.read_page import ReadSpec, read_one
from bots.web.forms import fill_all, page_text, read, submit
from bots.web.guard import check_not_rejected
from bots.web.rejections import ErrorCode, stable_code
from bots.web.screen import Screen
from bots.web.step_screen import step_screen
from bots.web.targets import ButtonRef
from bots.web.text import plain
from bots.web.values import FieldValue

EXAMPLE = """\
- id: inquiry
  uses: web.search_record
  with:
    url: /policy/inquiry
    fields: {"Policy Number": "${claim.policy_number}"}
    submit: Inquire
    not_found: {text: POLICY NOT FOUND, code: POLICY_NOT_ON_SCREEN}
    read: {status: "Status", holder: "Policy Holder", limit: "Coverage Limit"}

- id: not_keyed_yet             # stop an order that is already in the system
  uses: web.search_record
  with:
    url: /order/search
    fields: {"Customer PO Number": "${order.po_number}"}
    submit: Search
    not_found: {text: No orders found.}
    found: {code: ORDER_ALREADY_KEYED}
    read: {order_number: Order Number}

- id: customer                  # read the customer, then open an order for it
  uses: web.search_record
  with:
    url: /order/customer
    fields: {"Account Number": "${order.account}"}
    submit: Find
    not_found: {text: CUSTOMER NOT FOUND, code: CUSTOMER_NOT_FOUND}
    read: {name: Customer Name, credit_limit: Credit Limit}
    then: Start Order             # its red "Account is on hold" becomes ACCOUNT_ON_HOLD
    errors: [{text: on hold, code: ACCOUNT_ON_HOLD}]
"""


class NotFound(StepParams):
    """The text a screen shows when nothing matched, and what that means."""

    text: str = Field(description="Text on the result page meaning 'no such record'.")
    code: str | None = Field(
        None, description="Raise a BusinessError with this code; without it the step returns "
                          "{found: false} (a submit step's check uses that).")

    @field_validator("code")
    @classmethod
    def _stable_code(cls, value: str | None) -> str | None:
        return value if value is None else stable_code(value)


class Found(StepParams):
    """What it means when the search finds a record: this item must stop."""

    code: str = Field(description="Raise a BusinessError with this code (e.g. "
                                  "ORDER_ALREADY_KEYED), naming the values read.")

    @field_validator("code")
    @classmethod
    def _stable_code(cls, value: str) -> str:
        return stable_code(value)


class Params(StepParams):
    """Parameters of web.search_record."""

    url: str | None = Field(None, description="The search screen, relative to web.base_url; "
                            "omit it to search on the page as it is.")
    fields: dict[str, FieldValue] = Field(
        default_factory=dict, description="Search criteria: field label -> value.")
    submit: ButtonRef = Field(description="The search button: its text, or {text|selector, "
                                          "frame, wait_for, dialog}.")
    read: dict[str, str | ReadSpec] = Field(
        default_factory=dict, description="Output name -> label of the value to read, or "
                                          "{label|selector|pattern, frame} as in web.read_page "
                                          "(a value under its column header, a pattern).")
    not_found: NotFound | None = Field(None, description="How the screen says 'no match'.")
    found: Found | None = Field(
        None, description="Finding a record is an exception with this code (a duplicate).")
    then: ButtonRef | None = Field(
        None, description="A button to click on the result page after reading, e.g. "
                          "'Start Order'; the next page is checked for red text.")
    errors: list[ErrorCode] = Field(
        default_factory=list,
        description="Red texts on the result -> exception code ({text, code}, matched "
                    "ignoring case); other red text is VALIDATION_REJECTED.")


def _outputs(values: Mapping[str, Any]) -> Outputs:
    """`found` (false when the screen said not found), the names of `read:`, `_healed`."""
    read = Outputs.named(keys(values, "read"), ["found"], inside=VALUE)  # texts and a flag
    return read.union(Outputs.named(["_healed"]))


@step("web.search_record", Params, needs=("web",), example=EXAMPLE, outputs=_outputs)
async def search_record(params: Params, ctx: StepContext) -> dict[str, Any]:
    """Search a web screen by labelled fields and read the found record's values."""
    screen = await step_screen(ctx, params.url)
    await fill_all(screen, params.fields)
    await submit(screen, params.submit, reject_red=False)
    if params.not_found and _shows(params.not_found.text, await page_text(screen.page)):
        return _not_found(params) | _remembered(screen)
    await check_not_rejected(screen.page, params.errors)
    values = {name: await _read(screen, spec) for name, spec in params.read.items()}
    if params.found:
        raise _found(params, values)
    if params.then:
        await submit(screen, params.then, errors=params.errors)
    return {"found": True, **values} | _remembered(screen)


def _remembered(screen: Screen) -> dict[str, Any]:
    """The search did its work: keep its controls' fingerprints; what was healed, if any."""
    screen.remember()
    return {"_healed": screen.healed} if screen.healed else {}


async def _read(screen: Screen, spec: str | ReadSpec) -> Any:
    """A value of the result: by its label cell, or any way web.read_page reads one."""
    return await read(screen, spec) if isinstance(spec, str) else await read_one(screen.page, spec)


def _shows(text: str, page: str) -> bool:
    """Whether the page shows the text (case, and non-breaking spaces, aside)."""
    return plain(text).lower() in plain(page).lower()


def _criteria(params: Params) -> str:
    return ", ".join(f"{label}={value!r}" for label, value in params.fields.items())


def _found(params: Params, values: dict[str, str]) -> BusinessError:
    assert params.found is not None
    shown = ", ".join(f"{name}={value!r}" for name, value in values.items()) or "a record"
    where = params.url or "the screen"
    return BusinessError(f"{where} already has {shown} for {_criteria(params)}",
                         code=params.found.code, url=params.url, found=values)


def _not_found(params: Params) -> dict[str, Any]:
    assert params.not_found is not None
    code = params.not_found.code
    if code:
        raise BusinessError(f"{params.url or 'the screen'} says '{params.not_found.text}' for "
                            f"{_criteria(params)}", code=code, url=params.url)
    return {"found": False}
