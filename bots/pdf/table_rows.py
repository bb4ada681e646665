"""One page's part of a table: its rows (wrapped lines joined), where it ends, its totals.

A line with the key column and another cell (or any line, when no column is typed) starts a
row; a line without the key, or with the key's cell alone, is part of a neighbouring row (a
wrapped description: of the row above, or of the row below when it sits closer to that one,
as when figures are printed on a row's last line); a `skip` line is passed over. Before the
first row of a page without a header, lines are passed over until one reads as a whole row:
every required column present and typed cells that convert. The part ends at a stop label,
at a totals line, at a wide vertical gap or at the page end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from bots.pdf.lines import Line, Page, Word, union_box
from bots.pdf.table_cells import reads_as
from bots.pdf.table_columns import Reading, line_cells
from bots.pdf.table_rule import TableRule
from bots.pdf.table_totals import (
    TotalLine,
    line_starts_with,
    row_like,
    total_line,
    totals_below,
)


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
    anchored: bool = False  # it starts below a header or `start` line


def read_part(page: Page, begin: int, reading: Reading) -> PagePart:
    """The table's part on a page from line ``begin`` on, then the totals below it."""
    part = PagePart()
    rows = Collector(page.number, reading.rule)
    passed: list[tuple[Line, dict[str, str]]] = []  # text lines before the table starts
    previous = page.lines[begin - 1] if begin and reading.first_is_row else None
    end = len(page.lines)
    for index in range(begin, end):
        line = page.lines[index]
        ended = part_end(previous, line, reading, bool(rows.rows))
        if ended:
            part.ended, end = ended, index
            break
        if line_starts_with(line, reading.rule.skip):
            continue  # a carried-forward line: neither a row nor the end
        cells = line_cells(line, reading.columns)
        if not any(cells.values()):
            continue  # a blank line
        if not (rows.rows or reading.first_is_row or whole_row(cells, reading)):
            passed = [*passed, (line, cells)] if text_only(cells, reading.rule) else []
            continue  # not yet the table (or the first row's leading lines)
        for above in close_above(passed, line) if not rows.rows else []:
            rows.add(*above)
        passed = []
        rows.add(line, cells)
        previous = line
    rows.settle(None)
    part.rows = rows.rows
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
    if line_starts_with(line, rule.stop) and not row_like(line, reading):
        return "stop"  # a row whose description starts with a stop label stays a row
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
    """Whether a line begins a new row rather than continuing a neighbouring one: it has
    the key and something besides (a wrapped description has nothing else), or the table
    has no typed column to tell rows by."""
    if not cells.get(rule.key_column):
        return False
    typed = [name for name, kind in rule.types.items() if kind != "text"]
    return not typed or any(text for name, text in cells.items() if name != rule.key_column)


class Collector:
    """Rows of one page as they are read; text-only lines wait until the next row shows
    whether they wrap the row above or lead the row below (figures printed on a row's last
    line): they go to the side they sit closer to, the row above when it is a tie."""

    def __init__(self, page: int, rule: TableRule) -> None:
        self.page, self.rule = page, rule
        self.rows: list[RawRow] = []
        self.waiting: list[tuple[Line, dict[str, str]]] = []

    def add(self, line: Line, cells: dict[str, str]) -> None:
        """A line as a new row, or as a continuation that waits for the next row (above the
        first row, only text waits: a first line with figures but no key is a row, refused
        by its typing rather than dropped)."""
        if not starts_row(cells, self.rule) and (self.rows or text_only(cells, self.rule)):
            self.waiting.append((line, cells))
            return
        lead = self.settle(line)
        row = RawRow(self.page, [], {})
        for waiting_line, waiting_cells in [*lead, (line, cells)]:
            extend(row, waiting_line, waiting_cells)
        self.rows.append(row)

    def settle(self, below: Line | None) -> list[tuple[Line, dict[str, str]]]:
        """Give the waiting lines before the widest gap to the row above; the rest lead."""
        waiting, self.waiting = self.waiting, []
        if not waiting or not self.rows:  # above the first row: they lead it
            if waiting and below is None:  # no row came: a row of their own, never dropped
                self.rows.append(RawRow(self.page, [], {}))
                for line, cells in waiting:
                    extend(self.rows[-1], line, cells)
                return []
            return waiting
        lines = [self.rows[-1].lines[-1], *(line for line, _ in waiting)]
        gaps = [after.top - before.bottom for before, after in pairwise(lines)]
        split = len(waiting)
        if below is not None and gaps and max(gaps) > below.top - lines[-1].bottom + 1:
            split = gaps.index(max(gaps))
        for line, cells in waiting[:split]:
            extend(self.rows[-1], line, cells)
        return waiting[split:]


def text_only(cells: dict[str, str], rule: TableRule) -> bool:
    """Whether a line has nothing in a typed column (a description's line)."""
    return not any(cells.get(name) for name, kind in rule.types.items() if kind != "text")


def close_above(lines: list[tuple[Line, dict[str, str]]], first: Line
                ) -> list[tuple[Line, dict[str, str]]]:
    """The lines right above the first row, each within a line height of the one below it:
    the first row's leading description lines (not a letterhead further up)."""
    close: list[tuple[Line, dict[str, str]]] = []
    below = first
    for line, cells in reversed(lines):
        if below.top - line.bottom > line.bottom - line.top:
            break
        close.insert(0, (line, cells))
        below = line
    return close


def extend(row: RawRow, line: Line, cells: dict[str, str]) -> None:
    """Add a line and its cells to a row."""
    row.lines.append(line)
    for name, text in cells.items():
        row.cells[name] = f"{row.cells[name]} {text}" if row.cells.get(name) else text
