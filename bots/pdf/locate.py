"""Find a field's raw value on a document by its label (right of it or below it) or form field.

The answer keeps its evidence: the page, the box around the value's words, the whole text
line it came from and the rule that found it, so that an analyst can see why the bot read
what it read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bots.pdf.document import Document
from bots.pdf.lines import Box, Line, Page, Word, run_from, union_box
from bots.pdf.rules import FieldRule

COLUMN_SLACK = 3.0  # points a value may start left of its label and still be in its column


@dataclass(frozen=True)
class Found:
    """A raw value and where it came from."""

    text: str
    page: int
    box: Box
    source: str  # the text line (or form value) the value was read from
    rule: str  # e.g. "label 'Policy No.:' right"

    def provenance(self) -> dict[str, object]:
        """The ledger's record of where the value came from."""
        return {"page": self.page, "box": list(self.box), "text": self.source, "rule": self.rule}


@dataclass(frozen=True)
class LabelHit:
    """Where a label was found: its page, line and the words it spans."""

    page: Page
    line_index: int
    words: list[Word]

    @property
    def line(self) -> Line:
        """The line the label is on."""
        return self.page.lines[self.line_index]


def locate(document: Document, rule: FieldRule) -> Found | None:
    """The first value the rule finds, or None when it finds no (non-empty) value."""
    if rule.form_field:
        return from_form(document, rule.form_field)
    for label in rule.label:
        for hit in label_hits(document, rule, label):
            found = value_right(hit, rule) if rule.where == "right" else value_below(hit, rule)
            if found:
                page = f" page {rule.page}" if rule.page is not None else ""
                return Found(found.text, found.page, found.box, found.source,
                             f"label {label!r} {rule.where}{page}")
    return None


def from_form(document: Document, name: str) -> Found | None:
    """A filled-in AcroForm field as a found value."""
    field = document.form.get(name)
    if field is None or not field.value.strip():
        return None
    x0, top, x1, bottom = (round(number, 1) for number in field.box)
    return Found(field.value, field.page, (x0, top, x1, bottom), field.value,
                 f"form_field {name!r}")


def pages_for(document: Document, rule: FieldRule) -> list[Page]:
    """The pages a rule looks at: all, or the one its `page` hint names."""
    if rule.page is None:
        return document.pages
    index = rule.page - 1 if rule.page > 0 else len(document.pages) + rule.page
    return [document.pages[index]] if 0 <= index < len(document.pages) else []


def comparable(word: str) -> str:
    """A word as labels are compared: case-folded, without a trailing colon."""
    return word.casefold().rstrip(":")


def label_hits(document: Document, rule: FieldRule, label: str) -> Iterator[LabelHit]:
    """Every place the label's words appear in a row, in reading order."""
    wanted = [comparable(word) for word in label.split()]
    for page in pages_for(document, rule):
        for index, line in enumerate(page.lines):
            tokens = [comparable(word.text) for word in line.words]
            for start in range(len(tokens) - len(wanted) + 1):
                if tokens[start:start + len(wanted)] == wanted:
                    hit = LabelHit(page, index, line.words[start:start + len(wanted)])
                    if in_region(hit, rule):
                        yield hit


def in_region(hit: LabelHit, rule: FieldRule) -> bool:
    """Whether the label lies inside the rule's region hint (fractions of the page)."""
    if rule.region is None:
        return True
    x0, top, x1, bottom = union_box(hit.words)
    left, upper, right, lower = rule.region
    width, height = hit.page.width, hit.page.height
    return (x0 >= left * width and x1 <= right * width
            and top >= upper * height and bottom <= lower * height)


def value_right(hit: LabelHit, rule: FieldRule) -> Found | None:
    """The words after the label on its line, up to the next column gap."""
    after = [word for word in hit.line.words if word.x0 >= hit.words[-1].x1 - 0.5
             and word not in hit.words]
    if not after:
        return None
    words = run_from(after, 0, rule.max_gap)
    return found_in(hit.page.number, words, hit.line.text)


def value_below(hit: LabelHit, rule: FieldRule) -> Found | None:
    """The words under the label, in its column, on up to ``rule.lines`` lines."""
    label_box = union_box(hit.words)
    reach = 3 * (label_box[3] - label_box[1]) + 4  # farther down is the next row's label
    bottom = label_box[3]
    chosen: list[Word] = []
    sources: list[str] = []
    for line in hit.page.lines[hit.line_index + 1:]:
        if line.top - bottom > reach or len(sources) == rule.lines:
            break
        words = column_words(line, label_box, rule.max_gap)
        if words:
            chosen += words
            sources.append(line.text)
            bottom, reach = line.bottom, 1.5 * (line.bottom - line.top)
    if not chosen:
        return None
    return found_in(hit.page.number, chosen, "\n".join(sources))


def column_words(line: Line, label_box: Box, max_gap: float) -> list[Word]:
    """The run of words on a line that starts under the label's span."""
    left, right = label_box[0] - COLUMN_SLACK, label_box[2]
    starts = [i for i, word in enumerate(line.words) if word.x1 > left and word.x0 < right]
    return run_from(line.words, starts[0], max_gap) if starts else []


def found_in(page: int, words: list[Word], source: str) -> Found:
    """A Found for some words (the rule is filled in by the caller)."""
    return Found(" ".join(word.text for word in words), page, union_box(words), source, "")
