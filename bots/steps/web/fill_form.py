"""web.fill_form: key a (multi-page) form by visible labels and read the confirmation.

A page may repeat a block once per element of a list (order lines added one by one, each
checked against the row the system added); see ``bots.web.repeat``. Without ``url:`` the step
works on the page as it is (a batch session's page, left where the previous step or item left
it). A field value may name its control by ``selector:``/``frame:`` instead of its label, and
a ``submit:`` may be ``{text|selector, frame, wait_for, dialog}``. Only the last page's submit
is the side effect: the step says so (``ctx.submitting()``) right before that click.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from bots.kernel import StepContext, StepParams, step
from bots.kernel.outputs import VALUE, Outputs, keys
from bots.steps.web.read_page import ReadSpec, read_one
from bots.web.evidence import capture_page
from bots.web.forms import fill_all, read, submit
from bots.web.rejections import ErrorCode
from bots.web.repeat import RepeatBlock, add_rows
from bots.web.screen import Screen
from bots.web.step_screen import step_screen
from bots.web.targets import ButtonRef
from bots.web.values import FieldValue

EXAMPLE = """\
- id: submit_claim
  uses: web.fill_form
  with:
    url: /claim/new
    pages:
      - fields: {"Policy Number": "${claim.policy_number}", "Claimant Name": "${claim.name}",
                 "Phone": "${claim.phone}"}
        submit: Next >
      - fields:
          Date of Loss: {value: "${claim.loss_date}", format: "date:%m/%d/%Y"}
          Loss Type: "${claim.loss_type}"
          Amount Claimed: {value: "${claim.amount}", format: amount}
          External Reference: "${item.ref}"
          Description: "${claim.description}"
        submit: Next >
      - submit: Submit Claim
    read: {claim_reference: "Claim Reference"}

- id: key_order                 # header, then one grid line per order line, then confirm
  uses: web.fill_form
  with:
    url: /order/customer
    pages:
      - fields: {"Account Number": "${order.account}"}
        submit: Find
      - submit: Start Order
      - fields:
          Customer PO Number: "${order.po_number}"
          Requested Date: {value: "${order.requested_date}", format: "date:%m/%d/%Y"}
        submit: Continue
      - repeat:
          for_each: ${order.lines}
          fields: {"Product Code": "${each.product_code}", "Quantity": "${each.quantity}"}
          submit: Add line
          verify:
            row: last
            columns:
              Unit Price: {equals: "${each.unit_price}", tolerance: "2%",
                           code: PRICE_MISMATCH}
          name: lines
        submit: Review Order
      - submit: Submit Order
    errors:
      - {text: does not exist, code: PRODUCT_NOT_FOUND}
      - {text: in stock for, code: QUANTITY_OVER_STOCK}
      - {text: on hold, code: ACCOUNT_ON_HOLD}
    read: {reference: Order Number}
"""


class FormPage(StepParams):
    """One page of a form: the fields to fill, rows to add one by one, then the button."""

    fields: dict[str, FieldValue] = Field(
        default_factory=dict,
        description="Field label -> value, or {value, format} with format 'amount' "
                    "(1250.00) or 'date:<strftime>' (an ISO date typed as e.g. %m/%d/%Y).")
    repeat: RepeatBlock | None = Field(
        None, description="After the fields: {for_each, fields, submit, verify, lookup, name}, "
                          "a block keyed and submitted once per element of for_each, with "
                          "${each.<field>} naming the element's values.")
    submit: ButtonRef = Field(description="The button that submits this page: its text, or "
                                          "{text|selector, frame, wait_for, dialog}.")


class Params(StepParams):
    """Parameters of web.fill_form."""

    url: str | None = Field(None, description="The form's first page, relative to "
                            "web.base_url; omit it to work on the page as it is (a batch "
                            "session's page).")
    pages: list[FormPage] = Field(min_length=1, description="The form's pages, in order.")
    read: dict[str, str | ReadSpec] = Field(
        default_factory=dict, description="Output name -> label to read on the result page, "
                                          "or {label|selector|pattern, frame} as in "
                                          "web.read_page (a reference inside a sentence).")
    errors: list[ErrorCode] = Field(
        default_factory=list,
        description="Red texts the screens may show -> exception code ({text, code}, text "
                    "matched ignoring case); other red text is VALIDATION_REJECTED.")


def _outputs(values: Mapping[str, Any]) -> Outputs:
    """The names of `read:` (and `_healed`); a dry run gives what it would have submitted."""
    read = Outputs.named(keys(values, "read"), ["dry_run", "screenshot", "html"], inside=VALUE)
    return read.union(Outputs.named(["_healed", "would_submit"]))


@step("web.fill_form", Params, side_effect=True, needs=("web",), example=EXAMPLE,
      marks_submit=True, outputs=_outputs)
async def fill_form(params: Params, ctx: StepContext) -> dict[str, Any]:
    """Fill a form page by page, submit it and read the confirmation (dry run: no submit)."""
    screen = await step_screen(ctx, params.url)
    typed: dict[str, Any] = {}
    for number, form_page in enumerate(params.pages, start=1):
        typed |= await _fill_page(screen, form_page, params.errors)
        last = number == len(params.pages)
        if ctx.dry_run and last:
            return await _dry_run_result(screen, ctx, typed)
        await submit(screen, form_page.submit, errors=params.errors,
                     before_click=ctx.submitting if last else None)
    output = {name: await _read(screen, spec) for name, spec in params.read.items()}
    return _remembered(screen, output)


async def _read(screen: Screen, spec: str | ReadSpec) -> Any:
    """A value on the result page: by its label cell, or any way web.read_page reads one."""
    return await read(screen, spec) if isinstance(spec, str) else await read_one(screen.page, spec)


def _remembered(screen: Screen, output: dict[str, Any]) -> dict[str, Any]:
    """The step succeeded: keep its controls' fingerprints; say what was healed."""
    screen.remember()
    return output | {"_healed": screen.healed} if screen.healed else output


async def _fill_page(screen: Screen, form_page: FormPage,
                     errors: list[ErrorCode]) -> dict[str, Any]:
    """Fill a page's fields and add its repeated rows; what was typed, rows as a list."""
    typed: dict[str, Any] = await fill_all(screen, form_page.fields)
    if form_page.repeat:
        typed[form_page.repeat.name] = await add_rows(screen, form_page.repeat, errors)
    return typed


async def _dry_run_result(screen: Screen, ctx: StepContext,
                          typed: dict[str, Any]) -> dict[str, Any]:
    """What a real run would have submitted, with a screenshot of the filled last page."""
    saved = await capture_page(screen.page, ctx.evidence_dir, f"{ctx.step_id}-dry-run")
    return {"dry_run": True, "would_submit": typed, "screenshot": saved.get("screenshot"),
            "html": saved.get("html")}
