"""Read a line-item table off a document's pages: where it starts on each page, and its totals.

A header table starts below each line that holds the rule's header labels (one per page: a
second header would be another table); a position table (`columns:`) starts below a `start:`
line, else at the first line that reads as a whole row. A page whose part did not end at a
stop label or at the totals lets the table go on on the next page: below a repeated header,
or, with none, at the first line that reads as a whole row (a page's letterhead is skipped).
Cells stay raw text here: typing them is bots/pdf/table_fields.py's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bots.pdf.lines import Page
from bots.pdf.table_columns import Column, Reading, position_columns
from bots.pdf.table_header import header_hits
from bots.pdf.table_rows import PagePart, RawRow, read_part
from bots.pdf.table_rule import TableRule
from bots.pdf.table_totals import TotalLine, line_starts_with
from bots.pdf.value_types import ValueRule

__all__ = ["RawRow", "Table", "read_table"]


@dataclass
class Table:
    """A table's rows across pages, its totals, and the pages it was seen on."""

    rows: list[RawRow] = field(default_factory=list)
    totals: dict[str, TotalLine] = field(default_factory=dict)
    header_pages: list[int] = field(default_factory=list)


def read_table(pages: list[Page], rule: TableRule, hints: ValueRule) -> Table:
    """The table's raw rows and totals on every page (of those given) it runs over."""
    table = Table()
    going_on: list[Column] | None = None  # the columns a table without an end carries over
    for page in pages:
        part, columns = page_part(page, rule, hints, going_on, searching=not table.rows)
        if part is None:
            continue
        if part.rows or part.anchored:
            table.header_pages.append(page.number)
        table.rows += part.rows
        table.totals |= part.totals  # a later page's totals are the document's
        going_on = columns if part.ended in ("gap", "page") and not part.totals else None
    return table


def page_part(page: Page, rule: TableRule, hints: ValueRule, going_on: list[Column] | None,
              searching: bool) -> tuple[PagePart | None, list[Column]]:
    """The table's part on one page (None when it has none) and the columns it used.

    ``searching``: no row read yet, so a position table without `start` looks for its first
    whole row on this page.
    """
    begin = begin_of(page, rule)
    if begin is not None:
        index, columns = begin
        part = read_part(page, index, Reading(columns, rule, hints))
        part.anchored = True
        return part, columns
    if going_on is not None:
        return read_part(page, 0, Reading(going_on, rule, hints, first_is_row=False)), going_on
    if rule.columns and not rule.start and searching:
        columns = position_columns(rule)
        return read_part(page, 0, Reading(columns, rule, hints, first_is_row=False,
                                          ends_early=False)), columns
    return None, []


def begin_of(page: Page, rule: TableRule) -> tuple[int, list[Column]] | None:
    """The line index the rows start at below a header or `start` line, with the columns."""
    if rule.header:
        for begin, columns in header_hits(page, rule):
            return begin, columns
        return None
    for index, line in enumerate(page.lines):
        if line_starts_with(line, rule.start):
            return index + 1, position_columns(rule)
    return None
