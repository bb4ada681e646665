"""Layout rule sets: how to recognize an insurer's form and where each field sits on it.

A rule set is data, written in a recipe (see the `claim` step of recipes/claims-intake.yaml):

    - name: acme
      when: ["ACME Mutual", "CL-100"]
      fields:
        policy_number: {label: "Policy No.:", where: right, type: policy_number,
                        missing_code: POLICY_MISSING}
        amount:                       # alternatives, tried in order
          - {label: "Total claimed", where: right, page: -1, type: amount}
          - {label: "Amount Claimed", where: below, type: amount}
        invoice: {pattern: 'Invoice\\s+(?:No|n°)\\.?\\s*(\\S+)'}     # anywhere, first match
        currency: {value: EUR}                                     # a constant
        name: {template: "{first_name} {last_name}"}               # other fields joined

Rules find values by their labels (and optional page/region hints), by patterns, or from the
layout's own constants and fields, never by one layout's fixed coordinates, so that a form
moving a box does not break extraction.
"""

from __future__ import annotations

from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bots.pdf.einvoice_rule import EInvoiceRule
from bots.pdf.table_rule import TableRule
from bots.pdf.templates import check_templates
from bots.pdf.value_types import ValueRule
from bots.values.regex import valid_regex

Where = Literal["right", "left", "below", "above"]


class FieldRule(ValueRule):
    """Where one output field's value sits (and, from ValueRule, how to normalize it)."""

    model_config = ConfigDict(extra="forbid")

    label: list[str] = Field(default_factory=list, description=(
        "Label text(s) printed next to the value, e.g. 'Policy No.:'; the first label found "
        "wins. Matched word by word, ignoring case and trailing colons."))
    label_match: Literal["exact", "fuzzy"] = Field("exact", description=(
        "'fuzzy' also accepts a label with a small misspelling or OCR slip ('Pol1cy No'), "
        "at a lower confidence, when the exact label is nowhere, e.g. label_match: fuzzy."))
    where: Where = Field("right", description=(
        "'right': the value follows the label on the same line; 'left': it precedes the label "
        "on the same line ('EUR 120.00 Total'); 'below': the line(s) under the label, starting "
        "in the label's column; 'above': the line over the label, in its column (a signature "
        "line), e.g. where: below."))
    within: float | None = Field(None, gt=0, description=(
        "How far (points) from the label the value may start, e.g. within: 120; farther words "
        "are another field's. Default: right/left anywhere on the line, below/above three "
        "label heights."))
    form_field: str | None = Field(None, description=(
        "Name of an AcroForm field to read instead of a label (fillable PDFs): its full name "
        "('form1[0].page1[0].policyNumber[0]', 'claim.policy'), a tail of it, or its short name "
        "('policyNumber'); a name that fits two fields is FORM_FIELD_AMBIGUOUS. A ticked "
        "checkbox reads 'true', a radio group its chosen export value; an unticked box is no "
        "value (the next alternative is tried; end with `{value: 'false'}` to get false)."))
    form_fields: dict[str, str] | None = Field(None, description=(
        "A group of AcroForm checkboxes read as one value: box name -> the code it stands for, "
        "e.g. {cb_fire: FIR, cb_theft: THF, cb_water: WTR} gives the code of the one ticked "
        "box; none ticked is no value, two ticked is FORM_CHOICE_CONFLICT naming both."))
    boxes: dict[str, str] | None = Field(None, description=(
        "With `label`: a group of drawn checkboxes (squares printed on the page, ticked with a "
        "pen stroke, a cross or a letter) read as one value: caption -> the code it stands "
        "for, e.g. boxes: {Yes: true, No: false} with type: checkbox. The captions are looked "
        "for after the label (where: right) or on the lines under it (where: below); the "
        "square beside a caption decides. None ticked is no value; two ticked is "
        "FORM_CHOICE_CONFLICT. Fillable (AcroForm) boxes: use `form_fields`."))
    table: TableRule | None = Field(None, description=(
        "Read a line-item table instead of one value: the field becomes a list of row "
        "dicts (see bots/pdf/table_rule.py for its keys)."))
    pattern: str | None = Field(None, description=(
        "A regular expression the value must match; its group named `value`, else its first "
        "group, else the whole match is the value. With a label it is searched in the text "
        "the label points at; alone, the first match in reading order on the rule's pages "
        "and region, e.g. pattern: 'Invoice\\s+(?:No|n°)\\.?\\s*(\\S+)'."))
    value: str | None = Field(None, description=(
        "A constant this layout always has, e.g. currency: {value: EUR}."))
    template: str | None = Field(None, description=(
        "The value joined from other fields of the same layout, computed after them, e.g. "
        "'{first_name} {last_name}' or '{dollars}.{cents}' with type: amount (names in "
        "braces; ${...} is a reference to an earlier step)."))
    page: int | None = Field(None, description=(
        "Only look on this page: 1 is the first, -1 the last. Default: every page."))
    region: tuple[float, float, float, float] | None = Field(None, description=(
        "Only labels inside this part of the page, as fractions [x0, top, x1, bottom]; "
        "[0, 0, 1, 0.5] is the top half."))
    lines: int | None = Field(None, ge=1, le=20, description=(
        "How many lines the value spans (below/above: lines under the label; right: the "
        "label's line plus continuation lines in the value's column), e.g. lines: 2. Default "
        "1; a continuation the rule did not allow for is read when unambiguous, else a doubt."))
    until: str | None = Field(None, description=(
        "A text or regular expression that ends the value (it and what follows are dropped); "
        "the value may then run over up to 20 lines, e.g. until: 'Phone|Tel'."))
    max_gap: float = Field(24.0, gt=0, description=(
        "Largest horizontal gap (points) between two words of one value; a wider gap starts "
        "another column."))
    required: bool = Field(True, description="A missing value stops the item (else it is null).")
    missing_code: str = Field("FIELD_MISSING", description=(
        "Exception code when a required value is missing, e.g. POLICY_MISSING."))

    @field_validator("label", mode="before")
    @classmethod
    def _one_label_is_a_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("boxes", mode="before")
    @classmethod
    def _codes_are_text(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {str(caption): str(code).lower() if isinstance(code, bool) else code
                for caption, code in value.items()}

    @field_validator("pattern", "until")
    @classmethod
    def _a_valid_regex(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else valid_regex(value, f"`{info.field_name}`")

    @model_validator(mode="after")
    def _check_consistent(self) -> FieldRule:
        sources = (bool(self.label), bool(self.form_field), self.table is not None,
                   self.value is not None, self.template is not None, bool(self.form_fields))
        if sum(sources) > 1 or not (any(sources) or self.pattern):
            raise ValueError("give exactly one of `label`, `form_field`, `form_fields`, `table`, "
                             "`value` or `template` (or `pattern` alone, to search anywhere)")
        if self.pattern and (self.table or self.value is not None or self.template):
            raise ValueError("`pattern` goes with `label` or `form_field`, or alone")
        if self.boxes is not None and (not self.label or self.pattern
                                       or self.where not in ("right", "below")):
            raise ValueError("`boxes` goes with `label` and `where: right` or `where: below` "
                             "(the captions follow the label), without `pattern`")
        if self.table and self.type != "text":
            raise ValueError("a table's cells are typed by `table.types`, not by `type`")
        return self

    def describe(self) -> str:
        """How this rule finds its value, for provenance and messages."""
        if self.table:
            return self.table.describe()
        pattern = f" pattern {self.pattern!r}" if self.pattern else ""
        return self._source() + pattern + (f" page {self.page}" if self.page is not None else "")

    def _source(self) -> str:
        """The part of the description that says where the text comes from."""
        if self.form_field:
            return f"form_field {self.form_field!r}"
        if self.form_fields:
            return f"form_fields {', '.join(self.form_fields)}"
        if self.value is not None:
            return f"value {self.value!r}"
        if self.template is not None:
            return f"template {self.template!r}"
        if not self.label:
            return "anywhere"
        boxes = f" boxes {', '.join(self.boxes)}" if self.boxes else ""
        return f"label {' | '.join(repr(label) for label in self.label)} {self.where}{boxes}"


class LayoutRules(BaseModel):
    """One insurer's form: how to recognize it and the rule for each output field."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Short layout name, reported as `_layout`, e.g. acme.")
    when: list[str] = Field(default_factory=list, description=(
        "Text(s) the document must all contain (ignoring case and spacing), in the order a "
        "person reads (lines top to bottom, words left to right), to use this layout: an "
        "insurer's name, a form number."))
    when_form: list[str] = Field(default_factory=list, description=(
        "AcroForm field names (full or short, as `form_field` takes them) the document must "
        "all have to use this layout, e.g. `when_form: [policyNumber, claimantSignature]`. "
        "Checked before `when`; a layout with `when_form` and no `when` is chosen without "
        "reading the text layer at all (a large filled form whose rules are all form fields "
        "is read in a fraction of the time). Give `when`, `when_form` or both."))
    fields: dict[str, list[FieldRule]] = Field(min_length=1, description=(
        "Output field name -> a rule, or a list of alternative rules tried in order (the first "
        "that finds a value wins; `required`/`missing_code` come from the first)."))
    einvoice: EInvoiceRule | None = Field(default=None, description=(
        "Read the fields from the e-invoice XML the PDF carries (Factur-X, ZUGFeRD 2, "
        "XRechnung CII, Order-X), exactly and with confidence 1; the text rules in `fields` "
        "then cross-check it. `einvoice: {}` reads the CII defaults, e.g. "
        "`einvoice: {fields: {amount: total}, on_mismatch: report}`. A PDF without XML is "
        "read from its text as usual."))

    @field_validator("when", "when_form", mode="before")
    @classmethod
    def _one_text_is_a_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _recognizable(self) -> LayoutRules:
        if not self.when and not self.when_form:
            raise ValueError(f"layout {self.name!r} needs `when` (texts on the document) or "
                             f"`when_form` (form field names) to be recognized")
        return self

    @field_validator("fields", mode="before")
    @classmethod
    def _one_rule_is_a_list(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {name: rule if isinstance(rule, list) else [rule] for name, rule in value.items()}

    @field_validator("fields")
    @classmethod
    def _alternatives_not_empty(cls, value: dict[str, list[FieldRule]]
                                ) -> dict[str, list[FieldRule]]:
        empty = [name for name, rules in value.items() if not rules]
        if empty:
            raise ValueError(f"field(s) {', '.join(empty)} have an empty list of rules")
        mixed = [name for name, rules in value.items()
                 if len({rule.table is None for rule in rules}) > 1]
        if mixed:
            raise ValueError(f"field(s) {', '.join(mixed)} mix `table` rules with value rules; "
                             "a field is either a table or one value")
        check_templates({name: [rule.template for rule in rules if rule.template is not None]
                         for name, rules in value.items()})
        return value
