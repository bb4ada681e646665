"""Words with positions, grouped into the lines a person reads.

pdfplumber gives words with boxes (points, origin top-left). Words whose boxes overlap
vertically by more than half belong to one line; a line keeps its words left to right, so
that "the value right of the label" and "the value below the label" are simple questions.
Control and invisible characters (NUL, U+202E, zero-width spaces) are dropped here, at the edge,
so that no rule, value, provenance or ledger entry ever holds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple

from bots.normalize import clean_text

Box = tuple[float, float, float, float]  # x0, top, x1, bottom

# PDFium reports a hyphen that ends a line as U+0002 or U+FFFE; it is a hyphen a person sees,
# and the wrap of "Okonkwo-" onto the next line is only recognized by it
LINE_END_HYPHENS = str.maketrans({"\u0002": "-", "\ufffe": "-"})


class Word(NamedTuple):
    """One word and its box on the page (and, read by OCR, how sure the engine was).

    A named tuple rather than a frozen dataclass: a dense page has a thousand words, and a
    tuple is made in a sixth of the time (it was a third of the cost of reading a page)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float = 1.0  # 0 to 1: a text layer's words are sure; OCR words carry theirs

    @property
    def height(self) -> float:
        """The word's height in points (about its font size)."""
        return self.bottom - self.top


@dataclass
class Line:
    """Words on one baseline of one page, left to right."""

    page: int
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The line as a person reads it, words separated by single spaces."""
        return " ".join(word.text for word in self.words)

    @property
    def top(self) -> float:
        """The highest word's top."""
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> float:
        """The lowest word's bottom."""
        return max(word.bottom for word in self.words)

    def holds(self, word: Word) -> bool:
        """Whether a word overlaps this line vertically by more than half its height."""
        return overlaps(self.top, self.bottom, word)


def overlaps(top: float, bottom: float, word: Word) -> bool:
    """Whether a word overlaps a line spanning top..bottom by more than half its height."""
    overlap = min(bottom, word.bottom) - max(top, word.top)
    return overlap > 0.5 * min(word.height, bottom - top)


@dataclass(frozen=True)
class Page:
    """One page's size and its lines, top to bottom."""

    number: int
    width: float
    height: float
    lines: list[Line]


def group_lines(number: int, width: float, height: float,
                words: Iterable[Mapping[str, Any]]) -> Page:
    """Build a page's lines from word dicts (pdfplumber's, or OCR's)."""
    readable = [word for word in map(as_word, words) if word.text]  # all-invisible words go
    return page_lines(number, width, height, readable)


READING_ORDER = itemgetter(2, 1)  # top, then x0: by index, faster than attrgetter
LEFT_TO_RIGHT = itemgetter(1)  # x0


def page_lines(number: int, width: float, height: float, words: list[Word]) -> Page:
    """Build a page's lines from its words (cleaned, none empty: ``as_word``): sorted top to
    bottom, each joins the line it overlaps by more than half (see ``line_of``)."""
    ordered = sorted(words, key=READING_ORDER)
    members: list[list[Word]] = []
    spans: list[list[float]] = []  # each line's [top, bottom] so far: kept, not recomputed
    line: list[Word] = []
    top = bottom = 0.0  # the last line's span, on plain numbers: every word is tested here
    for word in ordered:
        w_top, w_bottom = word[2], word[4]  # top, bottom: by index, faster than by name
        if w_top == top and w_bottom == bottom > w_top and line:  # most words: the line's span
            line.append(word)
            continue
        if line:  # ``overlaps`` written out: no call, no min() or max()
            w_height, l_height = w_bottom - w_top, bottom - top
            if ((bottom if bottom < w_bottom else w_bottom) - (top if top > w_top else w_top)
                    > 0.5 * (w_height if w_height < l_height else l_height)):
                line.append(word)
                if w_top < top:
                    top = w_top
                if w_bottom > bottom:
                    bottom = w_bottom
                continue
            spans[-1][0], spans[-1][1] = top, bottom
        home = line_of(spans, word)
        if home is None:
            members.append([word])
            spans.append([w_top, w_bottom])
        else:
            members[home].append(word)
            span = spans[home]
            span[0], span[1] = min(span[0], w_top), max(span[1], w_bottom)
        line, (top, bottom) = members[-1], spans[-1]
    if line:
        spans[-1][0], spans[-1][1] = top, bottom
    return Page(number, width, height, ordered_lines(number, members, spans))


def ordered_lines(number: int, members: list[list[Word]],
                  spans: list[list[float]]) -> list[Line]:
    """The lines top to bottom (a line's top is its span's), each left to right."""
    order = sorted(range(len(members)), key=lambda index: spans[index][0])
    for words in members:
        words.sort(key=LEFT_TO_RIGHT)
    return [Line(number, members[index]) for index in order]


def line_of(spans: list[list[float]], word: Word) -> int | None:
    """The index of the line among the last three that the word belongs to (the last one,
    nearly always: words come top to bottom), or None for a new line."""
    w_top, w_bottom = word[2], word[4]  # ``overlaps`` written out: it runs once a line
    w_height = w_bottom - w_top
    for index in range(len(spans) - 1, max(len(spans) - 4, -1), -1):
        top, bottom = spans[index]
        l_height = bottom - top
        if ((bottom if bottom < w_bottom else w_bottom) - (top if top > w_top else w_top)
                > 0.5 * (w_height if w_height < l_height else l_height)):
            return index
    return None


def as_word(raw: Mapping[str, Any]) -> Word:
    """A word dict (pdfplumber's, or OCR's with a ``confidence``) as a Word, its text cleaned
    of control and invisible characters."""
    return Word(clean_word(str(raw["text"])), float(raw["x0"]), float(raw["top"]),
                float(raw["x1"]), float(raw["bottom"]), float(raw.get("confidence", 1.0)))


def clean_word(text: str) -> str:
    """A word's text without control and invisible characters, single-spaced."""
    if not text.isprintable():  # a control, format or odd space character: clean it
        return clean_text(text.translate(LINE_END_HYPHENS))
    if " " in text:
        return " ".join(text.split())
    return text


def union_box(words: Iterable[Word]) -> Box:
    """The smallest box around some words, rounded to a tenth of a point."""
    chosen = list(words)
    return (round(min(w.x0 for w in chosen), 1), round(min(w.top for w in chosen), 1),
            round(max(w.x1 for w in chosen), 1), round(max(w.bottom for w in chosen), 1))


def run_from(words: list[Word], start: int, max_gap: float) -> list[Word]:
    """The words from ``start`` rightwards until a gap wider than ``max_gap`` (a new column)."""
    run = [words[start]]
    for word in words[start + 1:]:
        if word.x0 - run[-1].x1 > max_gap:
            break
        run.append(word)
    return run
