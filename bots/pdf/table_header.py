"""The header line of a line-item table: found by its labels, turned into columns.

The header is the line that holds a label of every column the rule names, or two close
lines that do together ('Unit' printed over 'price'). Its cells become the columns, each
named by the label inside it; header cells the rule does not name bound columns too (their
cells are dropped). Labels compare word by word, ignoring case, a trailing colon and a
trailing full stop.
"""

from __future__ import annotations

from collections.abc import Iterator

from bots.pdf.find_label import comparable
from bots.pdf.lines import Line, Page
from bots.pdf.table_columns import WORD_GAP, Column, anchored, cells_of, with_reach
from bots.pdf.table_rule import TableRule


def header_hits(page: Page, rule: TableRule) -> Iterator[tuple[int, list[Column]]]:
    """Where the rows begin below each header of a page, with the columns it defines.

    A header is one line holding a label of every column, or two close lines that do
    together ('Unit' over 'price'): then each label is read down its cell.
    """
    for index, line in enumerate(page.lines):
        for size, header in ((1, line), (2, two_line_header(page, index))):
            spans = label_spans(header, rule) if header is not None else None
            if header is not None and spans is not None:
                columns = with_reach(header_columns(header, spans))
                yield index + size, anchored(columns, page.lines[index + size:])
                break


def two_line_header(page: Page, index: int) -> Line | None:
    """A line and the close line below it as one, each cell's words read top to bottom."""
    if index + 1 >= len(page.lines):
        return None
    upper, lower = page.lines[index], page.lines[index + 1]
    if lower.top - upper.bottom > upper.bottom - upper.top:
        return None
    cells = cells_of(sorted(upper.words + lower.words, key=lambda word: word.x0))
    ordered = [word for cell in cells for word in sorted(cell, key=lambda w: (w.top, w.x0))]
    return Line(upper.page, ordered)


def loose(word: str) -> str:
    """A word as table labels compare: case-folded, without a trailing colon or full stop
    ('Qty.' is 'Qty', 'MwSt.' is 'MwSt')."""
    return comparable(word).rstrip(".")


def label_spans(line: Line, rule: TableRule) -> dict[str, tuple[int, int]] | None:
    """Column name -> the (start, end) word indexes of its label, or None if one is missing."""
    tokens = [loose(word.text) for word in line.words]
    spans: dict[str, tuple[int, int]] = {}
    for name, labels in rule.header.items():
        taken = {i for start, end in spans.values() for i in range(start, end)}
        span = next((found for label in labels
                     if (found := find_words(tokens, label, taken)) is not None), None)
        if span is None:
            return None
        spans[name] = span
    return spans


def find_words(tokens: list[str], label: str, taken: set[int]) -> tuple[int, int] | None:
    """Where a label's words appear in a row among tokens not yet taken by another column."""
    wanted = [loose(word) for word in label.split()]
    for start in range(len(tokens) - len(wanted) + 1):
        end = start + len(wanted)
        if tokens[start:end] == wanted and taken.isdisjoint(range(start, end)):
            return start, end
    return None


def header_columns(line: Line, spans: dict[str, tuple[int, int]]) -> list[Column]:
    """The header's cells left to right, each named by the label inside it (if any).

    A header cell is words no further apart than a space. A label may be part of a wider
    header cell ('Price' in 'Unit Price'): the column then spans the whole cell. A cell
    holding two labels (too tight to tell apart) is split at them.
    """
    owner = {i: name for name, (start, end) in spans.items() for i in range(start, end)}
    columns: list[Column] = []
    start = 0
    for cell in cells_of(line.words, WORD_GAP):  # labels are set close: 'Qty Unit' is two
        indexes = range(start, start + len(cell))
        start += len(cell)
        names = list(dict.fromkeys(owner[i] for i in indexes if i in owner))
        if len(names) <= 1:
            columns.append(Column(names[0] if names else None, cell[0].x0, cell[-1].x1))
        else:
            columns += [Column(name, line.words[spans[name][0]].x0,
                               line.words[spans[name][1] - 1].x1) for name in names]
    return columns
