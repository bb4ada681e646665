"""The `table` rule: how to find a line-item table by its header and type its cells.

Written in a recipe as one field's rule; the field's value is a LIST of row dicts:

    lines:
      table:
        header: {product_code: ["Item", "Article"], quantity: ["Qty", "Quantity"],
                 unit_price: "Unit Price"}
        stop: ["Total", "Subtotal"]
        types: {quantity: int, unit_price: amount}
      decimal: ","            # the field rule's own hints apply to the table's cells

The header row is found by its labels on every page (a header repeated on a later page
continues the table); columns are mapped by the header words' x positions. Header cells the
rule does not name (Pos., Unit, Amount) still bound their columns, so their cells are dropped
rather than glued to a neighbour.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CellType = Literal["text", "int", "amount", "date"]


def as_list(value: object) -> object:
    """One text given where a list is expected, as a list of one."""
    return [value] if isinstance(value, str) else value


class TableRule(BaseModel):
    """Where a line-item table sits (its header labels) and how to read its rows."""

    model_config = ConfigDict(extra="forbid")

    header: dict[str, list[str]] = Field(min_length=1, description=(
        "Output column name -> the header label(s) printed above it, e.g. "
        "{quantity: ['Qty', 'Quantity']}; a line holding a label of every column is the "
        "header. Matched word by word, ignoring case and trailing colons. The first column "
        "identifies a row: a line with nothing in it continues the row above."))
    stop: list[str] = Field(default_factory=list, description=(
        "Label(s) that end the table on their page when a line starts with them, e.g. "
        "'Total', 'Subtotal'; such a line is not a row. The table also ends where the "
        "rows stop (a gap of more than max_row_gap line heights) and at the page end."))
    types: dict[str, CellType] = Field(default_factory=dict, description=(
        "Column -> how to normalize its cells: text (default), int (a whole number), "
        "amount ('1234.50', with the field's `decimal` mark) or date (ISO, with the field's "
        "`dayfirst`). Typed cells must not be empty."))
    max_row_gap: float = Field(3.0, gt=0, description=(
        "Largest vertical gap between two rows, in line heights; a wider gap ends the table "
        "on that page (what follows is a footer or a note)."))

    @field_validator("stop", mode="before")
    @classmethod
    def _one_stop_is_a_list(cls, value: object) -> object:
        return as_list(value)

    @field_validator("header", mode="before")
    @classmethod
    def _labels_are_lists(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {name: as_list(labels) for name, labels in value.items()}

    @model_validator(mode="after")
    def _check_columns(self) -> TableRule:
        empty = [name for name, labels in self.header.items() if not labels]
        if empty:
            raise ValueError(f"header column(s) {', '.join(empty)} have no label")
        unknown = sorted(set(self.types) - set(self.header))
        if unknown:
            raise ValueError(f"`types` names column(s) {', '.join(unknown)} that are not in "
                             f"`header` (columns: {', '.join(self.header)})")
        return self

    @property
    def key_column(self) -> str:
        """The column that identifies a row (the first one)."""
        return next(iter(self.header))

    def describe(self) -> str:
        """How this rule finds its table, for provenance and messages."""
        labels = ", ".join(" | ".join(map(repr, labels)) for labels in self.header.values())
        return f"table with header {labels}"
