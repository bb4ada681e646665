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
from typing import Any

from bots.normalize import clean_text

Box = tuple[float, float, float, float]  # x0, top, x1, bottom

# PDFium reports a hyphen that ends a line as U+0002 or U+FFFE; it is a hyphen a person sees,
# and the wrap of "Okonkwo-" onto the next line is only recognized by it
LINE_END_HYPHENS = str.maketrans({"\u0002": "-", "\ufffe": "-"})


@dataclass(frozen=True)
class Word:
    """One word and its box on the page (and, read by OCR, how sure the engine was)."""

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
    """Build a page's lines from pdfplumber's word dicts."""
    readable = (word for word in map(as_word, words) if word.text)  # all-invisible words go
    ordered = sorted(readable, key=lambda word: (word.top, word.x0))
    lines: list[Line] = []
    spans: list[list[float]] = []  # each line's [top, bottom] so far: kept, not recomputed
    for word in ordered:
        home = line_of(spans, word)
        if home is None:
            lines.append(Line(number))
            spans.append([word.top, word.bottom])
            home = len(lines) - 1
        lines[home].words.append(word)
        span = spans[home]
        span[0], span[1] = min(span[0], word.top), max(span[1], word.bottom)
    for line in lines:
        line.words.sort(key=lambda word: word.x0)
    lines.sort(key=lambda line: line.top)
    return Page(number, width, height, lines)


def line_of(spans: list[list[float]], word: Word) -> int | None:
    """The index of the line among the last three that the word belongs to (the last one,
    nearly always: words come top to bottom), or None for a new line."""
    for index in range(len(spans) - 1, max(len(spans) - 4, -1), -1):
        top, bottom = spans[index]
        if overlaps(top, bottom, word):
            return index
    return None


def as_word(raw: Mapping[str, Any]) -> Word:
    """A word dict (pdfplumber's, or OCR's with a ``confidence``) as a Word, its text cleaned
    of control and invisible characters."""
    text = str(raw["text"])
    if not text.isprintable():  # a control, format or odd space character: clean it
        text = clean_text(text.translate(LINE_END_HYPHENS))
    elif " " in text:
        text = " ".join(text.split())
    return Word(text, float(raw["x0"]), float(raw["top"]),
                float(raw["x1"]), float(raw["bottom"]), float(raw.get("confidence", 1.0)))


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
