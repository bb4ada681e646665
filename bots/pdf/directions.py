"""Read the words a label points at: right or left of it on its line, below or above it in
its column; how far (`within`), over how many lines (`lines`, `until`).

Each reader returns the value's rows (the words of each line it spans, top to bottom) and
its doubts: a value that seems to go on where the rule stopped reading is never cut
silently. A wrap after a hyphen is read (the hyphen says the value goes on); right of a label,
a close line that continues the value's column with nothing left of it is a doubt, unless the
rule said how many lines (under a label, only a hyphen counts: the next close line there is as
often the next row of a column).
"""

from __future__ import annotations

from bots.pdf.confidence import Doubt
from bots.pdf.find_label import LabelHit
from bots.pdf.lines import Box, Line, Word, run_from, union_box
from bots.pdf.rules import FieldRule

COLUMN_SLACK = 3.0  # points a value may start left of its label and still be in its column
CLOSE = 0.6  # a gap under this many line heights joins a line to the one above
UNTIL_LINES = 20  # with `until` and no `lines`, a value may run over this many lines

Rows = list[list[Word]]


def read_rows(hit: LabelHit, rule: FieldRule) -> tuple[Rows, list[Doubt]]:
    """The rows of words the rule's direction reads from a label, and their doubts."""
    if rule.where == "right":
        return right(hit, rule)
    if rule.where == "left":
        return left(hit, rule), []
    if rule.where == "above":
        rows = above(hit, rule)
        return rows, hyphen_doubts(rows) + left_run_doubts(hit, rows, rule)
    rows = below(hit, rule)
    if not rows or rule.lines or rule.until:
        return rows, hyphen_doubts(rows) + left_run_doubts(hit, rows, rule)
    # under a label, the next close line is as often the next row of a column (a table read
    # with `below`) as the value going on: only a hyphen says it goes on
    hyphen = rows[0][-1].text.endswith("-")
    rows, doubts = wrapped(rows[0], next_in_column(hit, rows[0], rule) if hyphen else [])
    return rows, doubts + left_run_doubts(hit, rows, rule)


def left_run_doubts(hit: LabelHit, rows: Rows, rule: FieldRule) -> list[Doubt]:
    """A doubt when a row read under (or over) a label is the end of a run of words that
    starts left of the label's column: the label matched may be the second half of a longer
    one (a bilingual 'Preneur / Verzekeringnemer') over a value that starts under the first."""
    for row in rows:
        line = next((line for line in hit.page.lines if row[0] in line.words), None)
        index = line.words.index(row[0]) if line else 0
        if line and index and row[0].x0 - line.words[index - 1].x1 <= rule.max_gap:
            before = line.words[index - 1].text
            return [(f"the value may start left of the label's column ({before!r} runs into "
                     f"it)", 0.6)]
    return []


def hyphen_doubts(rows: Rows) -> list[Doubt]:
    """A value joined across a hyphen, or ending in one, is less sure."""
    if not rows:
        return []
    if rows[-1][-1].text.endswith("-"):
        return [("the value ends with a hyphen: it may be cut", 0.6)]
    if any(row[-1].text.endswith("-") for row in rows[:-1]):
        return [("a value that wraps after a hyphen was joined", 0.9)]
    return []


def max_lines(rule: FieldRule) -> int:
    """How many lines a value may span: the rule's `lines`, many with `until`, else one."""
    return rule.lines or (UNTIL_LINES if rule.until else 1)


def too_far(distance: float, rule: FieldRule) -> bool:
    """Whether a value starting ``distance`` points from its label is out of reach."""
    return rule.within is not None and distance > rule.within


def right(hit: LabelHit, rule: FieldRule) -> tuple[Rows, list[Doubt]]:
    """The words after the label up to the next column gap (with a pattern: the rest of the
    line), plus the lines that continue the value's column."""
    after = [word for word in hit.line.words if word.x0 >= hit.words[-1].x1 - 0.5
             and word not in hit.words]
    if not after or too_far(after[0].x0 - hit.words[-1].x1, rule):
        return [], []
    first = after if rule.pattern else run_from(after, 0, rule.max_gap)
    if rule.lines or rule.until:
        return [first, *continuation(hit, first, rule, max_lines(rule) - 1)], []
    return wrapped(first, continuation(hit, first, rule, 1))


def wrapped(first: list[Word], more: Rows) -> tuple[Rows, list[Doubt]]:
    """One line as the rule asked, unless the value visibly goes on: after a hyphen the next
    line is read; a continuation without one, or a hyphen with nothing after it, is a doubt."""
    hyphen = first[-1].text.endswith("-")
    if hyphen and more:
        return [first, *more], [("a value that wraps after a hyphen was joined", 0.9)]
    if hyphen:
        return [first], [("the value ends with a hyphen: it may be cut", 0.6)]
    if more:
        return [first], [(f"the next line continues the value's column ({more[0][0].text!r}"
                          " ...): set `lines:` or `until:`", 0.6)]
    return [first], []


def continuation(hit: LabelHit, first: list[Word], rule: FieldRule, wanted: int) -> Rows:
    """Up to ``wanted`` lines under a right-hand value that continue its column and hold
    nothing left of it (a line with words there is the next row of the form)."""
    start = first[0].x0 - COLUMN_SLACK
    column: Box = (start, 0.0, union_box(first)[2], 0.0)
    rows: Rows = []
    previous = hit.line
    for line in hit.page.lines[hit.line_index + 1:]:
        if len(rows) >= wanted or not close(previous, line):
            break
        if any(word.x0 < start for word in line.words):
            break
        words = column_words(line, column, rule.max_gap)
        if not words:
            break
        rows.append(words)
        previous = line
    return rows


def close(upper: Line, lower: Line) -> bool:
    """Whether a line follows another as the next line of one paragraph."""
    return lower.top - upper.bottom <= CLOSE * (upper.bottom - upper.top)


def left(hit: LabelHit, rule: FieldRule) -> Rows:
    """The words before the label on its line, back to the previous column gap."""
    before = [word for word in hit.line.words if word.x1 <= hit.words[0].x0 + 0.5
              and word not in hit.words]
    if not before or too_far(hit.words[0].x0 - before[-1].x1, rule):
        return []
    if rule.pattern:
        return [before]
    run = [before[-1]]
    for word in reversed(before[:-1]):
        if run[0].x0 - word.x1 > rule.max_gap:
            break
        run.insert(0, word)
    return [run]


def below(hit: LabelHit, rule: FieldRule) -> Rows:
    """The words under the label, in its column, on up to `lines` lines."""
    label_box = union_box(hit.words)
    reach = rule.within or 3 * (label_box[3] - label_box[1]) + 4  # farther: the next row
    bottom = label_box[3]
    rows: Rows = []
    for line in hit.page.lines[hit.line_index + 1:]:
        if line.top - bottom > reach or len(rows) == max_lines(rule):
            break
        words = column_words(line, label_box, rule.max_gap)
        if words:
            rows.append(words)
            bottom, reach = line.bottom, 1.5 * (line.bottom - line.top)
    return rows


def next_in_column(hit: LabelHit, row: list[Word], rule: FieldRule) -> Rows:
    """The words of the line right under a value's row, in the label's column, when that line
    sits as close as a paragraph's next line (else nothing)."""
    lines = hit.page.lines
    index = next(i for i, line in enumerate(lines) if row[0] in line.words) + 1
    if index >= len(lines) or not close(lines[index - 1], lines[index]):
        return []
    words = column_words(lines[index], union_box(hit.words), rule.max_gap)
    return [words] if words else []


def above(hit: LabelHit, rule: FieldRule) -> Rows:
    """The words over the label, in its column, on up to `lines` lines (nearest first read,
    returned top to bottom)."""
    label_box = union_box(hit.words)
    reach = rule.within or 3 * (label_box[3] - label_box[1]) + 4
    top = label_box[1]
    rows: Rows = []
    for line in reversed(hit.page.lines[:hit.line_index]):
        if top - line.bottom > reach or len(rows) == max_lines(rule):
            break
        words = column_words(line, label_box, rule.max_gap)
        if words:
            rows.insert(0, words)
            top, reach = line.top, 1.5 * (line.bottom - line.top)
    return rows


def column_words(line: Line, column: Box, max_gap: float) -> list[Word]:
    """The run of words on a line that starts under a column's span."""
    left_edge, right_edge = column[0] - COLUMN_SLACK, column[2]
    starts = [i for i, word in enumerate(line.words)
              if word.x1 > left_edge and word.x0 < right_edge]
    return run_from(line.words, starts[0], max_gap) if starts else []
