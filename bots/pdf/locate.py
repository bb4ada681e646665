"""Find a field's raw value on a document: by its label (right, left, below or above it), by
a pattern, from a form field, or as the layout's constant.

The answer keeps its evidence: the page, the box around the value's words, the whole text
line(s) it came from and the rule that found it, so that an analyst can see why the bot read
what it read; and its doubts (a fuzzy label, a value far from its label, a wrap), from which
its confidence is computed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bots.pdf.confidence import Doubt
from bots.pdf.directions import read_rows
from bots.pdf.document import Document
from bots.pdf.find_label import LabelHit, comparable, label_hits, pages_for
from bots.pdf.find_pattern import Text, cut_until, joined, pattern_anywhere, pick
from bots.pdf.lines import Box, Word, union_box
from bots.pdf.rules import FieldRule
from bots.pdf.ticked_boxes import ticked_box

__all__ = ["Found", "comparable", "locate", "pages_for"]  # tables.py compares labels alike

FAR = 10.0  # a value starting more label heights than this from its label is less sure
EDGE = 1.0  # points from the page's right edge where a value may have been cut off
OCR_SURE = 0.9  # OCR words at least this sure cost a value nothing


@dataclass(frozen=True)
class Found:
    """A raw value, where it came from, and what makes it less than sure."""

    text: str
    page: int  # 0: not from a page (a constant, a template)
    box: Box
    source: str  # the text line (or form value) the value was read from
    rule: str  # e.g. "label 'Policy No.:' right"
    doubts: tuple[Doubt, ...] = ()

    def provenance(self) -> dict[str, object]:
        """The ledger's record of where the value came from."""
        if not self.page:
            return {"text": self.source, "rule": self.rule}
        return {"page": self.page, "box": list(self.box), "text": self.source, "rule": self.rule}

    def doubting(self, *doubts: Doubt) -> Found:
        """The same value with more doubts."""
        return replace(self, doubts=(*self.doubts, *doubts))


def locate(document: Document, rule: FieldRule) -> Found | None:
    """The first value the rule finds, or None when it finds no (non-empty) value.

    Template rules are computed by the caller, after the fields they name.
    """
    if rule.value is not None:
        return Found(rule.value, 0, (0.0, 0.0, 0.0, 0.0), rule.value, rule.describe())
    if rule.form_fields:
        return from_form_group(document, rule.form_fields)
    if rule.form_field:
        found = from_form(document, rule.form_field)
        return picked_from_form(found, rule) if found and rule.pattern else found
    if not rule.label:
        return anywhere(document, rule) if rule.pattern else None
    return by_label(document, rule)


def by_label(document: Document, rule: FieldRule) -> Found | None:
    """The value beside the first hit of the rule's labels that has one."""
    for label in rule.label:
        for hit in label_hits(document, rule, label):
            found = boxes_near(document, hit, rule) if rule.boxes else near(hit, rule)
            if found:
                page = f" page {rule.page}" if rule.page is not None else ""
                pattern = f" pattern {rule.pattern!r}" if rule.pattern else ""
                return replace(found, rule=f"label {label!r} {rule.where}{pattern}{page}")
    return None


def near(hit: LabelHit, rule: FieldRule) -> Found | None:
    """The value one label hit points at, with its doubts; None when there is none."""
    rows, doubts = read_rows(hit, rule)
    text = narrowed(joined(rows), rule, doubts) if rows else None
    if text is None or not text.text.strip() or not text.words:
        return None
    doubts += label_doubts(hit, text, rule) + ocr_doubts(text.words)
    source = "\n".join(line.text for line in hit.page.lines
                       if any(row[0] in line.words for row in rows))
    return Found(text.text, hit.page.number, union_box(text.words), source, "", tuple(doubts))


def boxes_near(document: Document, hit: LabelHit, rule: FieldRule) -> Found | None:
    """The code of the drawn box ticked after one label hit (bots/pdf/ticked_boxes.py)."""
    ticked, doubts = ticked_box(document, hit, rule)
    if ticked is None:
        return None
    code, box, caption = ticked
    return Found(code, hit.page.number, rounded(box), f"{hit.line.text} [{caption} ticked]", "",
                 tuple(doubts))


def narrowed(text: Text, rule: FieldRule, doubts: list[Doubt]) -> Text | None:
    """The read text cut at `until` and narrowed to what `pattern` picks (None: no match)."""
    if rule.until:
        text, _matched, mid_word = cut_until(text, rule.until)
        if mid_word:
            doubts.append(("`until` cut the value inside a word", 0.6))
    if not rule.pattern:
        return text
    picked = pick(rule.pattern, text.text)
    if picked is None or not picked[0]:
        return None
    return Text(picked[0], text.words_between(picked[1], picked[2]), [])


def label_doubts(hit: LabelHit, text: Text, rule: FieldRule) -> list[Doubt]:
    """A fuzzy label, a value far from its label when the rule set no reach, a value cut off
    at the page's edge."""
    doubts: list[Doubt] = []
    if hit.similarity < 1:
        doubts.append((f"label matched fuzzily ({' '.join(w.text for w in hit.words)!r}, "
                       f"similarity {hit.similarity:.2f})", 0.85))
    label, value = union_box(hit.words), union_box(text.words)
    height = label[3] - label[1]
    distance = max(value[0] - label[2], label[0] - value[2], value[1] - label[3],
                   label[1] - value[3])
    if rule.within is None and distance > FAR * height:
        doubts.append((f"the value is {distance:.0f} pt from its label", 0.9))
    if value[2] >= hit.page.width - EDGE:
        doubts.append(("the value runs to the page's edge: it may be cut", 0.6))
    return doubts


def ocr_doubts(words: list[Word]) -> list[Doubt]:
    """A value whose words OCR read unsurely is as sure as its least sure word (a text
    layer's words are 1.0)."""
    least = min(words, key=lambda word: word.confidence, default=None)
    if least is None or least.confidence >= OCR_SURE:
        return []
    return [(f"OCR read {least.text!r} with confidence {least.confidence:.2f}",
             least.confidence)]


def anywhere(document: Document, rule: FieldRule) -> Found | None:
    """The first match of a label-less pattern, in reading order."""
    match = pattern_anywhere(document, rule)
    if match is None:
        return None
    return Found(match.value, match.page, union_box(match.words), match.source, rule.describe(),
                 tuple(ocr_doubts(match.words)))


def from_form(document: Document, name: str) -> Found | None:
    """An AcroForm field (by full, tail or short name) as a found value: a ticked checkbox is
    'true'; an empty field or unticked box is no value, so the next alternative is tried."""
    field = document.form.field(name)
    if field is None or not field.is_on:
        return None
    text = "true" if field.kind == "checkbox" else field.value
    return Found(text, field.page, rounded(field.box), field.value or text,
                 f"form_field {name!r}")


def from_form_group(document: Document, codes: dict[str, str]) -> Found | None:
    """The code of the one ticked box of a group; None when none is ticked."""
    ticked = document.form.one_ticked(list(codes))
    if ticked is None:
        return None
    name, field = ticked
    return Found(codes[name], field.page, rounded(field.box), f"{field.name} ticked",
                 f"form_fields {', '.join(codes)}")


def rounded(box: Box) -> Box:
    """A box rounded to a tenth of a point, as provenance keeps boxes."""
    x0, top, x1, bottom = (round(number, 1) for number in box)
    return (x0, top, x1, bottom)


def picked_from_form(found: Found, rule: FieldRule) -> Found | None:
    """A form field's value cut down to what the rule's pattern picks from it."""
    assert rule.pattern is not None
    picked = pick(rule.pattern, found.text)
    if picked is None or not picked[0]:
        return None
    return replace(found, text=picked[0], rule=rule.describe())
