"""web.read_page: read values and tables off a page, as it is or after opening a URL.

Without ``url`` the step reads the page the item's session shows (a search result after
``web.search_record``, a batch session's page after its last item); ``wait_for`` first waits
for what shows the page is ready (a message appearing). Nothing on the page is changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playwright.async_api import Page
from pydantic import Field, field_validator, model_validator

from bots.kernel import StepContext, StepParams, step
from bots.kernel.outputs import VALUE, Outputs, keys
from bots.values.regex import valid_regex
from bots.web.guard import red_errors
from bots.web.reading import read_pattern, read_selector, read_value, wait_until
from bots.web.rejections import ErrorCode, rejection
from bots.web.session import web_of
from bots.web.tables import TableSpec, read_table
from bots.web.targets import ControlMissing, WaitFor

EXAMPLE = """\
- id: policy                    # values by their labels, the ways screens show them
  uses: web.read_page
  with:
    url: /policy/view
    read:
      holder: Policy Holder     # next cell, cell under a header, dt/dd, "Label: value", field
      status: {label: Status, frame: details}
      notes: {selector: "#notes"}
      tags: {selector: ".tag", all: true}
      reference: {pattern: "Reference:\\\\s*(?P<ref>CLM-\\\\d+)"}
      warning: {selector: ".warning", required: false}

- id: hits                      # the result list a search step left on the page
  uses: web.read_page
  with:
    tables:
      claims:                   # outputs claims (a list of rows) and claims_count
        near: Claims found
        columns: {reference: Claim Reference, status: Status}
        max_rows: 50

- id: work_list                 # tables by selector, caption, or the headers they have
  uses: web.read_page
  with:
    url: /work/list
    tables:
      pending: {caption: Pending work items}
      tasks: {headers: [Task, Due], frame: content}
      payments: {selector: "#payments table"}

- id: result                    # a batch's final message (after_items:)
  uses: web.read_page
  with:
    wait_for: {selector: ".message2"}
    read: {message: {selector: ".message2"}}
    errors: [{text: not valid, code: FORM_REJECTED}]
"""


class ReadSpec(StepParams):
    """One value to read: by its label, a selector or a pattern over the page's text."""

    label: str | None = Field(None, description="The label the page shows beside the value.")
    selector: str | None = Field(None, description="CSS, xpath=... or role=... selector of the "
                                 "element whose text (or a field's value) to read.")
    pattern: str | None = Field(None, description="A regular expression over the page's "
                                "visible text (spaces plain): its first named group, else "
                                "group 1, else the whole match.")
    frame: str | None = Field(None, description="The iframe to read in (name, title or CSS).")
    all: bool = Field(False, description="With selector: every matching element's text, as a "
                      "list.")
    required: bool = Field(True, description="false: nothing there reads as null (an empty "
                           "list with all) instead of SCREEN_MISMATCH.")

    @model_validator(mode="after")
    def _one_way(self) -> ReadSpec:
        given = [name for name in ("label", "selector", "pattern") if getattr(self, name)]
        if len(given) != 1:
            raise ValueError("read needs exactly one of label, selector or pattern, got "
                             + (", ".join(given) or "none"))
        if self.all and not self.selector:
            raise ValueError("all: true reads every element a selector matches; it needs one")
        return self

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return None if value is None else valid_regex(value)


class Params(StepParams):
    """Parameters of web.read_page."""

    url: str | None = Field(None, description="A page to open first, relative to web.base_url; "
                            "without it, the page as the session shows it.")
    wait_for: WaitFor | None = Field(None, description="Wait for this before reading (a text "
                                     "or element to appear or go, a URL).")
    read: dict[str, str | ReadSpec] = Field(
        default_factory=dict, description="Output name -> the label of a value, or {label, "
                                          "selector or pattern; frame, all, required}.")
    tables: dict[str, TableSpec] = Field(
        default_factory=dict, description="Output name -> a table to read into rows {selector, "
                                          "caption, near or headers; columns, frame, "
                                          "max_rows}; also outputs <name>_count.")
    errors: list[ErrorCode] = Field(
        default_factory=list, description="Red texts that mean this item failed -> exception "
                                          "code ({text, code}); other red text is read, not "
                                          "an error.")

    @model_validator(mode="after")
    def _distinct_outputs(self) -> Params:
        counts = {f"{name}_count" for name in self.tables}
        clashes = sorted((set(self.read) & (set(self.tables) | counts)) |
                         (set(self.tables) & counts))
        if clashes:
            raise ValueError("output names used twice: " + ", ".join(clashes))
        if not (self.read or self.tables):
            raise ValueError("web.read_page needs something to read: read: or tables:")
        return self


def _outputs(values: Mapping[str, Any]) -> Outputs:
    """The names of `read:` and `tables:`, and `<table>_count` for each table."""
    tables = keys(values, "tables")
    names = [f"{name}_count" for name in tables]  # texts, lists of texts, rows and counts
    return Outputs.named(keys(values, "read"), tables, names, inside=VALUE)


@step("web.read_page", Params, needs=("web",), example=EXAMPLE, outputs=_outputs)
async def read_page(params: Params, ctx: StepContext) -> dict[str, Any]:
    """Read values (by label, selector or pattern) and tables off a web page."""
    web = web_of(ctx)
    page = await web.page_at(params.url or None)
    if params.wait_for:
        await wait_until(page, params.wait_for, timeout_s=web.config.timeouts.navigation_s)
    await _check_errors(page, params.errors)
    wait_s = web.config.timeouts.action_s  # what is still being drawn is waited for
    values: dict[str, Any] = {name: await read_one(page, spec, wait_s)
                              for name, spec in params.read.items()}
    for name, spec in params.tables.items():
        rows = values[name] = await read_table(page, spec, name=name, wait_s=wait_s)
        values[f"{name}_count"] = len(rows)
    return values


async def read_one(page: Page, spec: str | ReadSpec, wait_s: float = 0.0) -> Any:
    """One value the recipe names: a label (the common case), a selector or a pattern.

    A required value is waited for up to `wait_s` seconds; an optional one is read as it is.
    """
    if isinstance(spec, str):
        return await read_value(page, spec, wait_s=wait_s)
    wait_s = wait_s if spec.required else 0.0
    if spec.selector:
        return await read_selector(page, spec.selector, frame=spec.frame, every=spec.all,
                                   required=spec.required, wait_s=wait_s)
    if spec.pattern:
        return await read_pattern(page, spec.pattern, frame=spec.frame,
                                  required=spec.required, wait_s=wait_s)
    try:
        return await read_value(page, str(spec.label), frame=spec.frame, wait_s=wait_s)
    except ControlMissing as missing:  # only a missing value is optional, never an ambiguous one
        if missing.ambiguous or spec.required:
            raise
        return None


async def _check_errors(page: Page, rules: list[ErrorCode]) -> None:
    """Red text the recipe names is this item's exception; other red text is just read."""
    if not rules:
        return
    shown = await red_errors(page)
    if any(rule.text.lower() in text.lower() for rule in rules for text in shown):
        raise rejection(shown, rules, page.url)
