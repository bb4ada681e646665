"""web.click_button: press buttons or links on a page (Start, Open work list, Sign off).

The step for a click that is the whole of the work: a Start button before the items of a batch
(``before_items``), a tab to open, a sign-off after them (``after_items``). Each click waits for
what really happens (a navigation when one starts, the page settling, or ``wait_for``), and the
page is checked afterwards like any other (a 5xx, an expired session, red error text). A click
that changes the target system for an item belongs in ``web.fill_form``, which is guarded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from bots.kernel import StepContext, StepParams, step
from bots.kernel.outputs import VALUE, Outputs
from bots.web.forms import submit
from bots.web.rejections import ErrorCode
from bots.web.step_screen import step_screen
from bots.web.targets import ButtonRef

EXAMPLE = """\
before_items:                   # once per batch (and per page of a batch session)
  - id: start
    uses: web.click_button
    with:
      url: /challenge
      click: [{text: Start, wait_for: {text: "Round 1 of"}}]

after_items:
  - id: sign_off
    uses: web.click_button
    with:
      click: [{text: Sign off, dialog: accept}]
"""


class Params(StepParams):
    """Parameters of web.click_button."""

    url: str | None = Field(None, description="Open this page first (relative to "
                                              "web.base_url); without it, click on the page "
                                              "as it is.")
    click: list[ButtonRef] = Field(
        min_length=1, description="The buttons or links to press, in order: a text, or "
                                  "{text or selector, frame, wait_for, dialog}.")
    errors: list[ErrorCode] = Field(
        default_factory=list,
        description="Red texts the page may show afterwards -> exception code ({text, code}); "
                    "other red text is VALIDATION_REJECTED.")


def _outputs(values: Mapping[str, Any]) -> Outputs:
    """`clicked` (how many), `url` (where the page is after), `dialogs` (texts of any
    dialogs answered) and `_healed`."""
    return Outputs({"clicked": VALUE, "url": VALUE, "dialogs": None, "_healed": None})


@step("web.click_button", Params, needs=("web",), example=EXAMPLE, outputs=_outputs)
async def click_button(params: Params, ctx: StepContext) -> dict[str, Any]:
    """Press buttons or links in order, each waiting for what really happens."""
    screen = await step_screen(ctx, params.url)
    dialogs: list[str] = []
    for ref in params.click:
        clicked = await submit(screen, ref, errors=params.errors)
        dialogs += clicked.dialogs
    screen.remember()
    output: dict[str, Any] = {"clicked": len(params.click), "url": screen.page.url}
    if dialogs:
        output["dialogs"] = dialogs
    return output | ({"_healed": screen.healed} if screen.healed else {})
