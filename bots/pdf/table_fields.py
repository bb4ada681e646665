"""Extract a layout's fields when some of them are line-item tables (`table` rules).

Value fields go through bots/pdf/extract.py; each table field becomes a list of row dicts
with typed cells, its provenance a list of {page, box, text, rule}, one per row; its
`totals` become fields of their own and `_checks` says whether the lines add up to them.
Every problem is kept, not only the first: a missing table (the rule's missing code), a row
without its key or a cell that does not convert (FIELD_INVALID, naming the row, its page and
the column) join the value fields' problems in ONE BusinessError (bots/pdf/problems.py) whose
`partial` keeps every value and every row that was read. A cell read with a doubt, a word
OCR read unsurely, or a check that fails, lowers the table's confidence
(bots/pdf/confidence.py), so the step's `min_confidence` sends it to review, never keyed.
"""

from __future__ import annotations

from typing import Any

from bots.kernel.errors import BusinessError
from bots.pdf.confidence import TYPE_DOUBT, lower
from bots.pdf.document import Document
from bots.pdf.extract import choose_layout, extract
from bots.pdf.find_label import inside, pages_for
from bots.pdf.lines import Line, Page
from bots.pdf.locate import ocr_doubts
from bots.pdf.problems import Problem, combined, problems_in
from bots.pdf.rules import FieldRule, LayoutRules
from bots.pdf.table_checks import table_checks
from bots.pdf.table_rule import TableRule
from bots.pdf.table_totals import TotalLine
from bots.pdf.table_typing import problem, typed_rows
from bots.pdf.tables import Table, read_table

CHECK_FAILED = 0.5  # confidence factor for a table or total whose check fails


def extract_with_tables(document: Document, layouts: list[LayoutRules]) -> dict[str, Any]:
    """Every field of the first layout that recognizes the document, tables included."""
    layout = choose_layout(document, layouts)
    tables = {name: rules for name, rules in layout.fields.items() if rules[0].table}
    if not tables:
        return extract(document, [layout])
    result, problems = value_fields(document, layout, set(tables))
    for name, rules in tables.items():
        problems += table_field(document, name, rules, result)
    if problems:
        raise combined(document.path, layout.name, problems, result)
    return result


def value_fields(document: Document, layout: LayoutRules,
                 tables: set[str]) -> tuple[dict[str, Any], list[Problem]]:
    """The layout's value fields read by extract, and their problems (none raised)."""
    plain = {name: rules for name, rules in layout.fields.items() if name not in tables}
    if not plain:
        return {"_layout": layout.name, "_provenance": {}, "_confidence": {}}, []
    try:
        return extract(document, [layout.model_copy(update={"fields": plain})]), []
    except BusinessError as error:
        partial = error.details.get("partial")
        if not isinstance(partial, dict):
            raise
        return partial, problems_in(error)


def table_field(document: Document, name: str, rules: list[FieldRule],
                result: dict[str, Any]) -> list[Problem]:
    """Read one table field into the result (rows, totals, checks); its problems."""
    table, rule = first_table(document, rules)
    assert rule.table is not None  # LayoutRules forbids mixing table and value rules
    if not table.rows:
        result[name] = None
        return missing(name, rules, table)
    typed = typed_rows(name, rule, table.rows)
    result[name] = typed.rows
    result["_provenance"][name] = [row.provenance(rule.describe()) for row in table.rows]
    if typed.doubts:
        lower(result, name, TYPE_DOUBT, doubts_reason(typed.doubts))
    for reason, factor in ocr_doubts([word for row in table.rows for word in row.words]):
        lower(result, name, factor, reason)  # a scan's unsure word anywhere in the rows
    keep_totals(rule.table, table, result)
    record_checks(name, rule.table, typed.rows, result)
    return typed.problems


def first_table(document: Document, rules: list[FieldRule]) -> tuple[Table, FieldRule]:
    """The table of the first alternative rule that finds rows (else the last one tried)."""
    for rule in rules:
        assert rule.table is not None
        table = read_table(hinted_pages(document, rule), rule.table, rule)
        if table.rows:
            return table, rule
    return table, rule


def hinted_pages(document: Document, rule: FieldRule) -> list[Page]:
    """The pages the rule's `page` hint names, each cut to its `region` hint."""
    pages = pages_for(document, rule)
    return pages if rule.region is None else [in_region(page, rule) for page in pages]


def in_region(page: Page, rule: FieldRule) -> Page:
    """A page with only the words inside the rule's region (lines left empty dropped)."""
    lines = []
    for line in page.lines:
        words = [word for word in line.words
                 if inside((word.x0, word.top, word.x1, word.bottom), page, rule)]
        if words:
            lines.append(Line(line.page, words))
    return Page(page.number, page.width, page.height, lines)


def missing(name: str, rules: list[FieldRule], last: Table) -> list[Problem]:
    """No problem for an optional table; else the rule's missing code, saying what was
    looked for."""
    if not rules[0].required:
        return []
    tried = "; ".join(rule.describe() for rule in rules)
    if last.header_pages:
        what = f"starts on page {last.header_pages[0]} but no rows were read ({tried})"
    else:
        what = f"not found: no line holds the header labels or reads as a row ({tried})"
    message = (f"table {name!r} {what}; check the document and key the lines by hand, or "
               f"fix the layout's table rule")
    return [problem(name, rules[0].missing_code, message)]


def doubts_reason(doubts: list[str]) -> str:
    """The cells' doubts as one confidence reason (the first few, and how many more)."""
    more = f"; and {len(doubts) - 3} more" if len(doubts) > 3 else ""
    return "; ".join(doubts[:3]) + more


def keep_totals(rule: TableRule, table: Table, result: dict[str, Any]) -> None:
    """The table's totals as fields (a value field of the same name that was read wins)."""
    for name in rule.totals:
        total = table.totals.get(name)
        if result.get(name) is not None:
            continue
        result[name] = total.amount if total else None
        if total is not None:
            result["_provenance"][name] = total.provenance()
            doubt_total(result, name, total)


def doubt_total(result: dict[str, Any], name: str, total: TotalLine) -> None:
    """A total's confidence lowered by its type's doubts and by words OCR read unsurely."""
    if total.doubts:
        lower(result, name, TYPE_DOUBT, "; ".join(total.doubts))
    for reason, factor in ocr_doubts(total.line.words):
        lower(result, name, factor, reason)


def record_checks(name: str, rule: TableRule, rows: list[dict[str, Any]],
                  result: dict[str, Any]) -> None:
    """The table's cross-checks in `_checks`; a failing one lowers the table's confidence
    and its last total's."""
    totals = {total: result.get(total) for total in rule.totals}
    checks = table_checks(rule, rows, totals)
    if not checks:
        return
    result.setdefault("_checks", {})[name] = checks
    for failed in (check for check in checks if not check["ok"]):
        reason = (f"{failed['check']}: {failed['found']} against {failed['expected']} "
                  f"printed")
        for field in (name, list(rule.totals)[-1]):
            lower(result, field, CHECK_FAILED, reason)
