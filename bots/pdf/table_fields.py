"""Extract a layout's fields when some of them are line-item tables (`table` rules).

Value fields go through bots/pdf/extract.py unchanged; each table field becomes a list of
row dicts with typed cells, and its provenance a list of {page, box, text, rule}, one per
row. A table whose header is nowhere raises the rule's missing code (FIELD_MISSING); a cell
that does not normalize raises FIELD_INVALID naming the row, its page and the column.
"""

from __future__ import annotations

from typing import Any

from bots.kernel.errors import BusinessError
from bots.normalize import normalize_amount, normalize_date
from bots.pdf.document import Document
from bots.pdf.extract import choose_layout, extract
from bots.pdf.rules import FieldRule, LayoutRules
from bots.pdf.table_rule import CellType
from bots.pdf.tables import RawRow, Table, read_table

Rows = list[dict[str, Any]]


def extract_with_tables(document: Document, layouts: list[LayoutRules]) -> dict[str, Any]:
    """Every field of the first layout that recognizes the document, tables included."""
    layout = choose_layout(document, layouts)
    tables = {name: rules for name, rules in layout.fields.items() if rules[0].table}
    if not tables:
        return extract(document, [layout])
    plain = {name: rules for name, rules in layout.fields.items() if name not in tables}
    result: dict[str, Any] = {"_layout": layout.name, "_provenance": {}}
    if plain:
        result = extract(document, [layout.model_copy(update={"fields": plain})])
    for name, rules in tables.items():
        rows, provenance = table_field(document, layout, name, rules)
        result[name] = rows
        if provenance:
            result["_provenance"][name] = provenance
    return result


def table_field(document: Document, layout: LayoutRules, name: str,
                rules: list[FieldRule]) -> tuple[Rows | None, list[dict[str, object]]]:
    """One table field's typed rows and their provenance (None when optional and absent)."""
    for rule in rules:
        assert rule.table is not None  # LayoutRules forbids mixing table and value rules
        table = read_table(document, rule.table)
        if table.rows:
            rows = [typed_row(document, layout, name, rule, row, number)
                    for number, row in enumerate(table.rows, start=1)]
            return rows, [row.provenance(rule.describe()) for row in table.rows]
    return missing(document, layout, name, rules, table)


def missing(document: Document, layout: LayoutRules, name: str, rules: list[FieldRule],
            last: Table) -> tuple[None, list[dict[str, object]]]:
    """None for an optional table; else the rule's missing code, saying what was looked for."""
    if not rules[0].required:
        return None, []
    tried = "; ".join(rule.describe() for rule in rules)
    if last.header_pages:
        what = f"has its header on page {last.header_pages[0]} but no rows below it ({tried})"
    else:
        what = f"not found: no line holds the header labels ({tried})"
    raise BusinessError(
        f"{document.path.name} (layout {layout.name}): table {name!r} {what}; check the "
        f"document and key the lines by hand, or fix the layout's header labels",
        code=rules[0].missing_code, file=str(document.path), field=name, layout=layout.name)


def typed_row(document: Document, layout: LayoutRules, name: str, rule: FieldRule,
              row: RawRow, number: int) -> dict[str, Any]:
    """A row's cells normalized by the rule's column types; FIELD_INVALID names the row."""
    assert rule.table is not None
    typed: dict[str, Any] = {}
    for column in rule.table.header:
        text = row.cells.get(column, "")
        kind = rule.table.types.get(column, "text")
        try:
            if column == rule.table.key_column and not text.strip():
                raise ValueError("a row needs a value in the table's first column")
            typed[column] = typed_cell(text, kind, rule)
        except ValueError as error:
            raise BusinessError(
                f"{document.path.name} (layout {layout.name}): table {name!r} row {number} on "
                f"page {row.page} ({row.text!r}): column {column!r} reads {text!r}, which is "
                f"not a valid {kind}: {error}. Correct the line by hand, or fix the layout's "
                f"rule", code="FIELD_INVALID", file=str(document.path), field=name,
                layout=layout.name, row=number, column=column, text=text,
                page=row.page) from None
    return typed


def typed_cell(text: str, kind: CellType, rule: FieldRule) -> Any:
    """One cell's normalized value (raises ValueError); text cells may be empty (None)."""
    text = " ".join(text.split())
    if kind == "text":
        return text or None
    if not text:
        raise ValueError("the cell is empty")
    if kind == "date":
        return normalize_date(text, dayfirst=rule.dayfirst)
    amount, currency = normalize_amount(text, decimal=rule.decimal)
    if kind == "amount":
        return f"{amount:.2f}"
    if currency or amount != amount.to_integral_value():
        raise ValueError("expected a whole number, e.g. 12")
    return int(amount)
