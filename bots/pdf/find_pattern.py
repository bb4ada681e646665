"""Values by regular expression, and the text of a value read over several lines.

A rule's `pattern:` picks the value out of the text its label points at, or, without a
label, out of the first line (in reading order, on the rule's pages and region) where it
matches, else out of a page's lines read as one text (a sentence that wraps). The value is
the group named ``value``, else the first group, else the whole match.
`until:` ends a value that runs over lines at the first match of its text or regex.
Both keep track of which words the value came from, so provenance boxes the right words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bots.pdf.document import Document
from bots.pdf.find_label import inside, pages_for
from bots.pdf.lines import Page, Word, union_box
from bots.pdf.rules import FieldRule


@dataclass(frozen=True)
class Text:
    """Words read as one text: the text, and where each word starts in it."""

    text: str
    words: list[Word]
    starts: list[int]

    def words_between(self, start: int, end: int) -> list[Word]:
        """The words that overlap the characters [start, end) of the text."""
        return [word for word, at in zip(self.words, self.starts, strict=True)
                if at < end and at + len(word.text) > start]

    def span(self, start: int, end: int) -> Text:
        """The part of the text between two character positions, with its words."""
        words = self.words_between(start, end)
        return joined([words]) if words else Text("", [], [])


def joined(rows: list[list[Word]]) -> Text:
    """Rows of words as one text: words spaced, a row ending in a hyphen glued to the next
    ('Okonkwo-' + 'Adeyemi' is 'Okonkwo-Adeyemi')."""
    text, words, starts = "", [], []
    for row in rows:
        for index, word in enumerate(row):
            glue = index == 0 and text.endswith("-")
            text += "" if not text or glue else " "
            starts.append(len(text))
            words.append(word)
            text += word.text
    return Text(text, words, starts)


def cut_until(text: Text, until: str) -> tuple[Text, bool, bool]:
    """The text before the first match of ``until``; whether it matched, and whether the cut
    fell inside a word (a doubt: the value may end mid-word)."""
    found = re.search(until, text.text, flags=re.IGNORECASE)
    if found is None:
        return text, False, False
    cut = found.start()
    mid_word = 0 < cut < len(text.text) and text.text[cut - 1].isalnum() \
        and text.text[cut].isalnum()
    kept = [word for word, at in zip(text.words, text.starts, strict=True) if at < cut]
    trimmed = joined([kept]) if kept else Text("", [], [])
    if mid_word and kept:  # keep the words, but only the characters before the cut
        trimmed = Text(text.text[:cut].rstrip(), kept, trimmed.starts)
    return trimmed, True, mid_word


def pick(pattern: str, text: str) -> tuple[str, int, int] | None:
    """The value a pattern picks from a text (named group `value`, first group, or the whole
    match) and its character span, or None when it does not match."""
    found = re.search(pattern, text)
    if found is None:
        return None
    group: int | str = "value" if "value" in found.re.groupindex else (1 if found.re.groups else 0)
    if found.group(group) is None:
        return None
    return found.group(group).strip(), found.start(group), found.end(group)


@dataclass(frozen=True)
class Match:
    """A pattern's value on a page, with the words it came from and their line."""

    value: str
    page: int
    words: list[Word]
    source: str


def pattern_anywhere(document: Document, rule: FieldRule) -> Match | None:
    """The first match, in reading order on the rule's pages and region: on one line, else
    (a sentence that wraps in a letter) across the page's lines read as one text."""
    assert rule.pattern is not None
    for page in pages_for(document, rule):
        rows = [[word for word in line.words if inside(union_box([word]), page, rule)]
                for line in page.lines]
        for row in filter(None, rows):
            found = match_in(rule.pattern, page, [row])
            if found:
                return found
        found = match_in(rule.pattern, page, [row for row in rows if row])
        if found:
            return found
    return None


def match_in(pattern: str, page: Page, rows: list[list[Word]]) -> Match | None:
    """The pattern's value in some rows of a page, with its words and their lines' text."""
    text = joined(rows)
    picked = pick(pattern, text.text) if rows else None
    if not picked or not picked[0]:
        return None
    value, start, end = picked
    words = text.words_between(start, end)
    source = "\n".join(line.text for line in page.lines
                       if any(word in line.words for word in words))
    return Match(value, page.number, words, source)
