"""One page's part of a table: its rows (wrapped lines joined), where it ends, its totals.

A line with the key column and a typed cell (or any line, when no column is typed) starts a
row; a line without the key, or with nothing but text, continues the row above (a wrapped
description); a `skip` line is passed over. Before the first row of a page without a header,
lines are passed over until one reads as a whole row: every required column present and
typed cells that convert. The part ends at a stop label, at a totals line, at a wide
vertical gap or at the page end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bots.pdf.lines import Line, Page, Word, union_box
from bots.pdf.table_cells import reads_as
from bots.pdf.table_columns import Reading, line_cells
from bots.pdf.table_rule import TableRule
from bots.pdf.table_totals import TotalLine, line_starts_with, total_line, totals_below


@dataclass
class RawRow:
    """One table row as found: its page, the lines it spans and its raw cells."""

    page: int
    lines: list[Line]
    cells: dict[str, str]

    @property
    def words(self) -> list[Word]:
        """Every word of the row's lines."""
        return [word for line in self.lines for word in line.words]

    @property
    def text(self) -> str:
        """The row's lines as a person reads them."""
        return "\n".join(line.text for line in self.lines)

    def provenance(self, rule: str) -> dict[str, object]:
        """Where the row came from, for the ledger."""
        return {"page": self.page, "box": list(union_box(self.words)), "text": self.text,
                "rule": rule}


@dataclass
class PagePart:
    """The rows a page adds to a table, its totals, and why the page's part ended."""

    rows: list[RawRow] = field(default_factory=list)
    totals: dict[str, TotalLine] = field(default_factory=dict)
    ended: str = "page"  # stop | totals | gap | page


def read_part(page: Page, begin: int, reading: Reading) -> PagePart:
    """The table's part on a page from line ``begin`` on, then the totals below it."""
    part = PagePart()
    previous = page.lines[begin - 1] if begin and reading.first_is_row else None
    end = len(page.lines)
    for index in range(begin, end):
        line = page.lines[index]
        ended = part_end(previous, line, reading, bool(part.rows))
        if ended:
            part.ended, end = ended, index
            break
        if line_starts_with(line, reading.rule.skip):
            continue  # a carried-forward line: neither a row nor the end
        cells = line_cells(line, reading.columns)
        if not any(cells.values()) or not (part.rows or reading.first_is_row
                                           or whole_row(cells, reading)):
            continue  # a blank line, or not yet the table
        add_line(part.rows, page.number, line, cells, reading.rule)
        previous = line
    part.totals = totals_below(page, end, reading)
    return part


def part_end(previous: Line | None, line: Line, reading: Reading, has_rows: bool) -> str:
    """Why the table ends at this line ('' when it does not)."""
    if not (has_rows or reading.ends_early):
        return ""
    rule = reading.rule
    if previous is not None and line.top - previous.bottom > rule.max_row_gap * (
            previous.bottom - previous.top):
        return "gap"
    if line_starts_with(line, rule.stop):
        return "stop"
    if total_line(line, reading) is not None:
        return "totals"
    return ""


def whole_row(cells: dict[str, str], reading: Reading) -> bool:
    """Whether a line reads as a complete row: required columns there, typed cells convert."""
    rule = reading.rule
    if any(rule.required(name) and not cells.get(name) for name in rule.column_names):
        return False
    return all(reads_as(cells[name], kind, reading.hints)
               for name, kind in rule.types.items() if cells.get(name) and kind != "text")


def starts_row(cells: dict[str, str], rule: TableRule) -> bool:
    """Whether a line begins a new row rather than continuing the one above."""
    if not cells.get(rule.key_column):
        return False
    typed = [name for name, kind in rule.types.items() if kind != "text"]
    return not typed or any(cells.get(name) for name in typed)


def add_line(rows: list[RawRow], page: int, line: Line, cells: dict[str, str],
             rule: TableRule) -> None:
    """A line as a new row, or as the wrapped continuation of the row above."""
    if starts_row(cells, rule) or not rows:
        rows.append(RawRow(page, [line], cells))
        return
    row = rows[-1]
    row.lines.append(line)
    for name, text in cells.items():
        row.cells[name] = f"{row.cells[name]} {text}" if row.cells.get(name) else text
