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

Rules find values by their labels (and optional page/region hints), never by one layout's
fixed coordinates, so that a form moving a box does not break extraction.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bots.pdf.table_rule import TableRule
from bots.pdf.value_types import ValueRule


class FieldRule(ValueRule):
    """Where one output field's value sits (and, from ValueRule, how to normalize it)."""

    model_config = ConfigDict(extra="forbid")

    label: list[str] = Field(default_factory=list, description=(
        "Label text(s) printed next to the value, e.g. 'Policy No.:'; the first label found "
        "wins. Matched word by word, ignoring case and trailing colons."))
    where: Literal["right", "below"] = Field("right", description=(
        "'right': the value follows the label on the same line; 'below': the value is on the "
        "line(s) under the label, starting in the label's column."))
    form_field: str | None = Field(None, description=(
        "Name of an AcroForm field to read instead of a label (fillable PDFs)."))
    table: TableRule | None = Field(None, description=(
        "Read a line-item table instead of one value: the field becomes a list of row "
        "dicts (see bots/pdf/table_rule.py for its keys)."))
    page: int | None = Field(None, description=(
        "Only look on this page: 1 is the first, -1 the last. Default: every page."))
    region: tuple[float, float, float, float] | None = Field(None, description=(
        "Only labels inside this part of the page, as fractions [x0, top, x1, bottom]; "
        "[0, 0, 1, 0.5] is the top half."))
    lines: int = Field(1, ge=1, le=20, description="For 'below': how many lines the value spans.")
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

    @model_validator(mode="after")
    def _check_consistent(self) -> FieldRule:
        if sum((bool(self.label), bool(self.form_field), self.table is not None)) != 1:
            raise ValueError("give exactly one of `label`, `form_field` or `table`")
        if self.table and self.type != "text":
            raise ValueError("a table's cells are typed by `table.types`, not by `type`")
        return self

    def describe(self) -> str:
        """How this rule finds its value, for provenance and messages."""
        if self.form_field:
            return f"form_field {self.form_field!r}"
        if self.table:
            return self.table.describe()
        labels = " | ".join(repr(label) for label in self.label)
        page = f" page {self.page}" if self.page is not None else ""
        return f"label {labels} {self.where}{page}"


class LayoutRules(BaseModel):
    """One insurer's form: how to recognize it and the rule for each output field."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Short layout name, reported as `_layout`, e.g. acme.")
    when: list[str] = Field(min_length=1, description=(
        "Text(s) the document must all contain (ignoring case and spacing) to use this layout: "
        "an insurer's name, a form number."))
    fields: dict[str, list[FieldRule]] = Field(min_length=1, description=(
        "Output field name -> a rule, or a list of alternative rules tried in order (the first "
        "that finds a value wins; `required`/`missing_code` come from the first)."))

    @field_validator("when", mode="before")
    @classmethod
    def _one_text_is_a_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

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
        return value
