"""What a recipe names on a screen: a field, a button, and what to wait for after a click.

A field is named by its visible label (the key of ``fields:``); a button by its text. Where a
page gives no usable label, the recipe adds an escape hatch: ``selector:`` (CSS, ``xpath=...``,
or Playwright's ``role=...`` / ``text=...`` selectors) and ``frame:`` (the iframe to work in, by
its name, title or a CSS selector). A plain string is the common case and stays valid:
``submit: Next >`` is ``submit: {text: Next >}``.

Finding (``bots.web.find``) answers with a ``Found``; a control the recipe names and the screen
lacks, or names ambiguously, is a ``ControlMissing`` (SCREEN_MISMATCH: the recipe does not match
the screen, never a transient failure).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from playwright.async_api import Locator
from pydantic import Field, model_validator

from bots.kernel import StepParams
from bots.kernel.errors import ApplicationError

DialogAnswer = Literal["accept", "dismiss"]


class WaitFor(StepParams):
    """What shows that a click has done its work, when the page does not navigate."""

    text: str | None = Field(
        default=None, description="Text that appears (or goes, with state: gone).")
    selector: str | None = Field(default=None, description="An element that appears (or goes).")
    url: str | None = Field(
        default=None, description="A URL the page reaches: a glob such as '**/claim/done*' "
                                  "or a part of the URL.")
    state: Literal["appear", "gone"] = Field(
        default="appear", description="Wait for the text or element to appear (default) or "
                                      "to go.")
    timeout_s: float | None = Field(
        default=None, gt=0, description="How long to wait; default: the web section's "
                                        "navigation timeout.")

    @model_validator(mode="after")
    def _one_thing(self) -> WaitFor:
        given = [name for name in ("text", "selector", "url") if getattr(self, name)]
        if len(given) != 1:
            raise ValueError("wait_for needs exactly one of text, selector or url, got "
                             + (", ".join(given) or "none"))
        return self

    def describe(self) -> str:
        """What was waited for, for a message: "the text 'Saved' to appear"."""
        if self.url:
            return f"the page to reach {self.url!r}"
        what = f"the text {self.text!r}" if self.text else f"the element {self.selector!r}"
        return f"{what} to {'go' if self.state == 'gone' else 'appear'}"


class Button(StepParams):
    """A button or link to click: by its text, or a selector; then what to wait for."""

    text: str | None = Field(default=None, description="Its text, value, aria-label or title.")
    selector: str | None = Field(
        default=None, description="CSS, xpath=..., role=... or text=... selector, when the "
                                  "text is not usable.")
    frame: str | None = Field(
        default=None, description="The iframe it is in (name, title or CSS).")
    wait_for: WaitFor | None = Field(
        default=None, description="What shows the click worked, when the page does not "
                                  "navigate; default: a navigation if one starts, else the page "
                                  "settling.")
    dialog: DialogAnswer | None = Field(
        default=None, description="Answer a browser dialog (alert, confirm) the click opens; "
                                  "default: web.dialogs.")

    @model_validator(mode="after")
    def _named(self) -> Button:
        if not (self.text or self.selector):
            raise ValueError("a button needs its text or a selector")
        return self

    @property
    def name(self) -> str:
        """How messages and fingerprints name the button."""
        return self.text or str(self.selector)


ButtonRef = Button | str


def as_button(ref: ButtonRef) -> Button:
    """A recipe's button as a ``Button`` (a plain string is its text)."""
    return ref if isinstance(ref, Button) else Button.model_validate({"text": ref})


@dataclass
class Found:
    """A control found on the page, how it was found, and what identifies it for healing."""

    locator: Locator
    kind: str  # 'input:text', 'input:checkbox', 'select', 'textarea', 'button', 'radio-group' ...
    how: str  # 'label-for', 'wrapping-label', 'sibling-label', 'aria-label', 'placeholder',
    #           'table-cell-left', 'table-cell-above', 'dl', 'legend', 'text', 'selector', 'healed'
    fingerprint: dict[str, Any] = field(default_factory=dict)  # label, role, name, near, box...


class ControlMissing(ApplicationError):
    """The recipe names a control the screen does not have (or has several of)."""

    code = "SCREEN_MISMATCH"

    def __init__(self, message: str, *, what: str, name: str, candidates: list[str] | None = None,
                 seen: list[str] | None = None, **details: Any) -> None:
        super().__init__(message, code="SCREEN_MISMATCH", what=what, name=name,
                         candidates=candidates or [], seen=seen or [], **details)
        self.what, self.name = what, name

    @property
    def ambiguous(self) -> bool:
        """Several controls matched (the recipe must say which); none matched otherwise."""
        return bool(self.details.get("candidates"))
