"""Subtotal, tax and total lines below a table's rows: found, kept apart from the rows, read.

A totals line has a cell that starts with one of the rule's `totals` labels and an amount to
the right of the label (the line's last cell, or the rest of the label's cell: "Total: 1,468.46").
A line that fills every column of a table of three or more columns is a row even when its
description starts with "Total". Labels compare like header labels, ignoring a trailing full
stop too ("MwSt." is "MwSt").
"""

from __future__ import annotations

from dataclasses import dataclass

from bots.pdf.find_label import SEPARATORS
from bots.pdf.lines import Line, Page, Word, union_box
from bots.pdf.table_cells import read_cell
from bots.pdf.table_columns import Reading, cells_of, line_cells
from bots.pdf.table_header import loose


@dataclass(frozen=True)
class TotalLine:
    """One totals line: the output field it gives, its amount and where it was printed."""

    name: str
    amount: str
    page: int
    line: Line
    label: str
    doubts: tuple[str, ...] = ()

    def provenance(self) -> dict[str, object]:
        """Where the total came from, for the ledger."""
        return {"page": self.page, "box": list(union_box(self.line.words)),
                "text": self.line.text, "rule": f"table total {self.label!r}"}


def label_size(words: list[Word], label: str) -> int:
    """How many words of ``words`` the label covers at their start (0 when it does not)."""
    wanted = [loose(word) for word in label.split()]
    tokens = [loose(word.text) for word in words[:len(wanted)]]
    return len(wanted) if wanted and tokens == wanted else 0


def line_starts_with(line: Line, labels: list[str]) -> bool:
    """Whether a line begins with one of the labels (a `stop` label)."""
    return any(label_size(line.words, label) for label in labels)


def total_line(line: Line, reading: Reading) -> TotalLine | None:
    """The totals line this line is, if it is one."""
    if not reading.rule.totals:
        return None
    cells = cells_of(line.words)
    for position, cell in enumerate(cells):
        found = longest_label(cell, reading)
        if found is None:
            continue
        name, label, size = found
        value = cells[-1] if position < len(cells) - 1 else without_colon(cell[size:])
        amount = amount_of(value, reading)
        if amount is not None and not row_like(line, reading):
            return TotalLine(name, amount[0], line.page, line, label, amount[1])
    return None


def without_colon(words: list[Word]) -> list[Word]:
    """The words after a totals label less the colon set apart from it ("Total HT : 12,00")."""
    while words and words[0].text in SEPARATORS:
        words = words[1:]
    return words


def row_like(line: Line, reading: Reading) -> bool:
    """Whether a line fills every column of a table of three or more: then it is a row."""
    names = reading.rule.column_names
    cells = line_cells(line, reading.columns)
    return len(names) >= 3 and all(cells.get(name) for name in names)


def longest_label(cell: list[Word], reading: Reading) -> tuple[str, str, int] | None:
    """(output field, label, words covered) of the longest totals label a cell starts with."""
    found = [(name, label, size) for name, labels in reading.rule.totals.items()
             for label in labels if (size := label_size(cell, label))]
    return max(found, key=lambda hit: hit[2], default=None)


def amount_of(words: list[Word], reading: Reading) -> tuple[str, tuple[str, ...]] | None:
    """The words as an amount with the type's doubts, or None when they are not one."""
    text = " ".join(word.text for word in words)
    try:
        value, doubts = read_cell(text, "amount", reading.hints)
    except ValueError:
        return None
    return (str(value), doubts) if value is not None else None


def totals_below(page: Page, begin: int, reading: Reading) -> dict[str, TotalLine]:
    """The first totals line of each kind from line ``begin`` of a page down."""
    totals: dict[str, TotalLine] = {}
    for line in page.lines[begin:]:
        total = total_line(line, reading)
        if total is not None and total.name not in totals:
            totals[total.name] = total
    return totals
