"""The `table` rule: how to find a line-item table (by header or by position) and read it.

Written in a recipe as one field's rule; the field's value is a LIST of row dicts:

    lines:                                 # columns found by their header labels
      table:
        header: {product_code: ["Item", "Article"], quantity: ["Qty", "Quantity"],
                 unit_price: "Unit Price"}
        stop: ["Total", "Subtotal"]
        types: {quantity: int, unit_price: amount}
      decimal: ","            # the field rule's own hints apply to the table's cells

    lines:                                 # no header printed: columns by position
      table:
        columns: {description: [40, 300], quantity: [300, 360], amount: [440, 560]}
        types: {quantity: int, amount: amount}
        optional: [quantity]
        totals: {subtotal: ["Subtotal", "Zwischensumme"], tax: ["VAT", "MwSt"],
                 total: ["Total", "Gesamt"]}
        sum: amount

Header tables: the header row is found by its labels on every page (a header repeated on a
later page continues the table). Position tables (and pages that continue a table without
repeating its header) start at the first line that reads as a whole row. How cells go to
columns, rows wrap and totals end the table: bots/pdf/tables.py and its helpers. The field
rule's `page` and `region` hints narrow where the table is looked for (a quoted order table
above the invoice lines, a delivery note on another page).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CellType = Literal["text", "int", "amount", "date"]


def as_list(value: object) -> object:
    """One text given where a list is expected, as a list of one."""
    return [value] if isinstance(value, str) else value


class TableRule(BaseModel):
    """Where a line-item table sits (its header labels or column positions) and how to read it."""

    model_config = ConfigDict(extra="forbid")

    header: dict[str, list[str]] = Field(default_factory=dict, description=(
        "Output column name -> the header label(s) printed above it, e.g. "
        "{quantity: ['Qty', 'Quantity']}; a line holding a label of every column is the "
        "header (or two close lines: 'Unit' printed over 'price' matches 'Unit price'). "
        "Matched word by word, ignoring case, trailing colons and full stops ('Qty.' is "
        "'Qty'). A cell goes to the label it sits under, else to the column whose cells it "
        "lines up with, else to the column whose label starts left of it (a right-aligned "
        "number under a left-aligned label). Give `header` or `columns`."))
    columns: dict[str, tuple[float, float]] = Field(default_factory=dict, description=(
        "For a table printed without a header: output column name -> its [x0, x1] span in "
        "points from the page's left edge (`runner.py pdf show` prints word positions), e.g. "
        "{description: [40, 300], quantity: [300, 360], amount: [440, 560]}. A cell (words "
        "a space apart) goes to the span it overlaps most; words outside every span are not "
        "part of the table. The table starts at the first line that reads as a whole row "
        "(or below `start`)."))
    types: dict[str, CellType] = Field(default_factory=dict, description=(
        "Column -> how to normalize its cells: text (default), int (a whole number; a unit "
        "after it is left out: '2 Stk' is 2), "
        "amount ('1234.50', with the field's `decimal` mark) or date (ISO, with the field's "
        "`dayfirst`), e.g. {quantity: int, amount: amount}. Typed cells must not be empty "
        "unless the column is `optional`."))
    key: str | None = Field(None, description=(
        "The column that identifies a row, e.g. description; default: the first column. A "
        "row needs it. A line without it, or with nothing but it, belongs to the row above "
        "(or below, when it sits closer to that one): a wrapped description joins its row."))
    optional: list[str] = Field(default_factory=list, description=(
        "Typed columns whose cells may be empty (read as null), e.g. [discount, quantity]; "
        "text cells may always be empty, the key column never."))
    start: list[str] = Field(default_factory=list, description=(
        "Label(s) of the line just above the rows of a table without a header, e.g. "
        "'Leistungen'. Without it the table starts at the first line that reads as a whole "
        "row, so a first row with a bad cell would be taken for the letterhead; with it that "
        "row is reported."))
    stop: list[str] = Field(default_factory=list, description=(
        "Label(s) that end the table when a line starts with them, e.g. 'Total', "
        "'Payment terms'; such a line is not a row (unless it fills every column of a table "
        "of three or more), and the table goes on only below a "
        "header repeated on a later page. At its totals it ends too; where the rows stop "
        "(a gap of more than max_row_gap line heights) or the page ends, it goes on on the "
        "next page: below a repeated header, or at the first line that reads as a whole row."))
    skip: list[str] = Field(default_factory=list, description=(
        "Label(s) of lines inside the table that are not rows and do not end it, e.g. "
        "['Übertrag', 'Carried forward', 'Page']: a line starting with one is passed over."))
    totals: dict[str, list[str]] = Field(default_factory=dict, description=(
        "Output field -> label(s) of a total line below the rows, e.g. {subtotal: "
        "['Subtotal', 'Zwischensumme'], tax: ['VAT', 'MwSt', 'TVA'], total: ['Total', "
        "'Gesamt']}. A line starting with such a label and ending with an amount is never a "
        "row; its amount becomes that field of the result (null when not printed) and the "
        "table ends there. The longest matching label wins ('Total VAT' over 'Total')."))
    sum: str | None = Field(None, description=(
        "An amount column whose cells should add up to the subtotal (or, without one, to "
        "the total less the tax), e.g. amount; the result's `_checks` says whether they "
        "do within a cent, and whether subtotal + tax = total."))
    max_row_gap: float = Field(3.0, gt=0, description=(
        "Largest vertical gap between two rows, in line heights; a wider gap ends the table "
        "on that page (what follows is a footer or a note)."))

    @field_validator("stop", "start", "skip", mode="before")
    @classmethod
    def _one_label_is_a_list(cls, value: object) -> object:
        return as_list(value)

    @field_validator("header", "totals", mode="before")
    @classmethod
    def _labels_are_lists(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {name: as_list(labels) for name, labels in value.items()}

    @model_validator(mode="after")
    def _check_columns(self) -> TableRule:
        if bool(self.header) == bool(self.columns):
            raise ValueError("give `header` (labels printed above the columns) or `columns` "
                             "(x spans, for a table without a header), not both or neither")
        empty = [name for name, labels in {**self.header, **self.totals}.items() if not labels]
        if empty:
            raise ValueError(f"column(s) or total(s) {', '.join(empty)} have no label")
        self._check_spans()
        self._check_names()
        return self

    def _check_spans(self) -> None:
        """Each position column's span runs left to right."""
        bad = [name for name, (x0, x1) in self.columns.items() if not 0 <= x0 < x1]
        if bad:
            raise ValueError(f"column(s) {', '.join(bad)}: a span is [x0, x1] with "
                             f"0 <= x0 < x1, e.g. [300, 360]")

    def _check_names(self) -> None:
        """Keys that name columns name existing ones."""
        names = set(self.column_names)
        for key, named in (("types", set(self.types)), ("optional", set(self.optional)),
                           ("key", {self.key} - {None}), ("sum", {self.sum} - {None})):
            unknown = sorted(str(name) for name in named - names)
            if unknown:
                raise ValueError(f"`{key}` names column(s) {', '.join(unknown)} that are not "
                                 f"columns of the table ({', '.join(self.column_names)})")
        if self.key_column in self.optional:
            raise ValueError(f"the key column {self.key_column!r} identifies a row: it "
                             f"cannot be `optional`")
        if self.sum and self.types.get(self.sum) != "amount":
            raise ValueError(f"`sum: {self.sum}` needs `types: {{{self.sum}: amount}}`")

    @property
    def column_names(self) -> list[str]:
        """The output columns, in the order the rule names them."""
        return list(self.header or self.columns)

    @property
    def key_column(self) -> str:
        """The column that identifies a row (`key`, else the first one)."""
        return self.key or self.column_names[0]

    def required(self, column: str) -> bool:
        """Whether a row must have a value in this column: its key, and typed columns that
        are not `optional` (a text cell may always be empty)."""
        if column == self.key_column:
            return True
        return self.types.get(column, "text") != "text" and column not in self.optional

    def describe(self) -> str:
        """How this rule finds its table, for provenance and messages."""
        if self.columns:
            spans = ", ".join(f"{name} [{x0:g}, {x1:g}]" for name, (x0, x1)
                              in self.columns.items())
            return f"table with columns {spans}"
        labels = ", ".join(" | ".join(map(repr, labels)) for labels in self.header.values())
        return f"table with header {labels}"
