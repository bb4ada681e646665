"""Find a label on a document's lines: exactly (case and a trailing colon aside), or fuzzily.

Exact matching is what rules have always done and stays the default. With
``label_match: fuzzy`` a label that is nowhere exactly may match a run of the same number of
words that reads almost the same (an OCR slip, 'Pol1cy No.'); such a hit says how similar it
was, and the value found from it gets a lower confidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from bots.pdf.document import Document
from bots.pdf.lines import Line, Page, Word, union_box
from bots.pdf.rules import FieldRule

FUZZY_SIMILARITY = 0.8  # below this a run of words is another label, not a misspelt one
SEPARATORS = {":", "\uff1a", "="}  # a colon (or equals sign) set apart after a label


@dataclass(frozen=True)
class LabelHit:
    """Where a label was found: its page, line, the words it spans and how well they match."""

    page: Page
    line_index: int
    words: list[Word]
    similarity: float = 1.0  # 1.0: the exact label

    @property
    def line(self) -> Line:
        """The line the label is on."""
        return self.page.lines[self.line_index]


def comparable(word: str) -> str:
    """A word as labels are compared: case-folded, without a trailing colon."""
    return word.casefold().rstrip(":")


def pages_for(document: Document, rule: FieldRule) -> list[Page]:
    """The pages a rule looks at: all, or the one its `page` hint names."""
    if rule.page is None:
        return document.pages
    index = rule.page - 1 if rule.page > 0 else len(document.pages) + rule.page
    return [document.pages[index]] if 0 <= index < len(document.pages) else []


def label_hits(document: Document, rule: FieldRule, label: str) -> Iterator[LabelHit]:
    """Every place the label appears, in reading order; fuzzy hits only when there is no
    exact one and the rule allows them."""
    exact = False
    for hit in scan(document, rule, label, fuzzy=False):
        exact = True
        yield hit
    if not exact and rule.label_match == "fuzzy":
        yield from scan(document, rule, label, fuzzy=True)


def scan(document: Document, rule: FieldRule, label: str, *, fuzzy: bool) -> Iterator[LabelHit]:
    """The label's hits on the rule's pages and region, exact or fuzzy."""
    wanted = [comparable(word) for word in label.split()]
    for page in pages_for(document, rule):
        for index, line in enumerate(page.lines):
            tokens = [comparable(word.text) for word in line.words]
            for start in range(len(tokens) - len(wanted) + 1):
                similarity = match(tokens[start:start + len(wanted)], wanted, fuzzy)
                if similarity:
                    end = with_colon(line.words, start + len(wanted))
                    hit = LabelHit(page, index, line.words[start:end], similarity)
                    if in_region(hit, rule):
                        yield hit


def with_colon(words: list[Word], end: int) -> int:
    """Where a label ending at ``end`` really ends: French typography, and many forms, set
    its colon apart ("N° de facture :"), and that colon is the label's, never the value's."""
    while end < len(words) and words[end].text in SEPARATORS:
        end += 1
    return end


def match(tokens: list[str], wanted: list[str], fuzzy: bool) -> float:
    """1.0 for the exact words; with ``fuzzy`` the similarity of a near miss; else 0."""
    if tokens == wanted:
        return 0.0 if fuzzy else 1.0  # a fuzzy scan only reports the near misses
    if not fuzzy:
        return 0.0
    similarity = SequenceMatcher(None, " ".join(tokens), " ".join(wanted)).ratio()
    return round(similarity, 2) if similarity >= FUZZY_SIMILARITY else 0.0


def in_region(hit: LabelHit, rule: FieldRule) -> bool:
    """Whether the label lies inside the rule's region hint (fractions of the page)."""
    return inside(union_box(hit.words), hit.page, rule)


def inside(box: tuple[float, float, float, float], page: Page, rule: FieldRule) -> bool:
    """Whether a box lies inside the rule's region hint (always, without one)."""
    if rule.region is None:
        return True
    x0, top, x1, bottom = box
    left, upper, right, lower = rule.region
    return (x0 >= left * page.width and x1 <= right * page.width
            and top >= upper * page.height and bottom <= lower * page.height)
