"""A page's words with their boxes, read with PDFium (pypdfium2): fast, and like pdfplumber's.

pdfplumber (pdfminer) parsed a page 10 to 30 times slower than PDFium. PDFium gives each
character with a box; words are built here the way pdfplumber's ``extract_words`` builds them
(its defaults: characters on one line within 3 points, a new word at a space or at a gap wider
than 3 points, or when a character starts left of the previous one), so the rules see the same
words as before. A word's box is pdfminer's: from the baseline by the font's descent, one font
size high (PDFium's own "loose" boxes are taller), its sides PDFium's character advances.

PDFium is not thread-safe, and steps run in worker threads: every use of it in the process
holds ``PDFIUM_LOCK`` (other modules that render or read with pypdfium2 take it too).
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

PDFIUM_LOCK = threading.RLock()
X_TOLERANCE = 3.0  # pdfplumber's defaults, so that words stay what the rules were written for
Y_TOLERANCE = 3.0


Char = tuple[float, float, float, str, int]  # top, x0, x1, text, index: tuples sort and cost least


class CharReader:
    """Reads the characters of one PDFium text page through its raw functions."""

    def __init__(self, textpage: pdfium.PdfTextPage, top: float) -> None:
        self.raw = textpage.raw
        self.top = top  # the page's top edge in PDF space: y grows upwards there
        self.heights: dict[int | None, tuple[float, float]] = {}

    def chars(self) -> list[Char]:
        """Every character PDFium did not make up (its generated spaces and line breaks go:
        gaps are judged by position, as pdfplumber judges them), with its box."""
        raw, top, rect = self.raw, self.top, pdfium_c.FS_RECTF()
        count = pdfium_c.FPDFText_CountChars(raw)
        texts = self.texts(count)
        chars: list[Char] = []
        for index in range(count):
            text = texts[index]
            if text.isspace() and pdfium_c.FPDFText_IsGenerated(raw, index) == 1:
                continue
            pdfium_c.FPDFText_GetLooseCharBox(raw, index, ctypes.byref(rect))
            chars.append((top - rect.top, rect.left, rect.right, text, index))
        return chars

    def texts(self, count: int) -> list[str] | str:
        """Each character's text: one call for the page when PDFium's text lines up with its
        characters (it does unless a character lies outside the 16-bit range), else one call
        per character."""
        buffer = (ctypes.c_ushort * (count + 1))()
        written = pdfium_c.FPDFText_GetText(self.raw, 0, count, buffer) if count else 0
        text = bytes(memoryview(buffer).cast("B")[:2 * max(written - 1, 0)]).decode(
            "utf-16-le", errors="replace")
        if len(text) == count:
            return text
        return [chr(pdfium_c.FPDFText_GetUnicode(self.raw, index)) for index in range(count)]

    def box_height(self, index: int) -> tuple[float, float]:
        """pdfminer's top and bottom for a character: baseline minus its font's descent, one
        font size high. Kept per text object (one string shown at one place, one font)."""
        key = ctypes.cast(pdfium_c.FPDFText_GetTextObject(self.raw, index),
                          ctypes.c_void_p).value
        if key is None or key not in self.heights:
            self.heights[key] = self.measure(index)
        return self.heights[key]

    def measure(self, index: int) -> tuple[float, float]:
        """A character's top and bottom from its origin, font size and font descent."""
        x, y, descent = ctypes.c_double(), ctypes.c_double(), ctypes.c_float(0.0)
        pdfium_c.FPDFText_GetCharOrigin(self.raw, index, ctypes.byref(x), ctypes.byref(y))
        size = pdfium_c.FPDFText_GetFontSize(self.raw, index)
        font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(self.raw, index))
        known = bool(font) and pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1000.0),
                                                           ctypes.byref(descent))
        bottom = self.top - y.value - (descent.value / 1000 if known else -0.2) * size
        return bottom - size, bottom


def page_words(page: pdfium.PdfPage) -> list[dict[str, Any]]:
    """The words of one page as pdfplumber's ``extract_words()`` gives them (text, x0, top,
    x1, bottom), with its defaults."""
    textpage = page.get_textpage()
    try:
        reader = CharReader(textpage, float(page.get_mediabox()[3]))
        return [as_word(reader, run) for line in char_lines(reader.chars())
                for run in line_words(line)]
    finally:
        textpage.close()


def char_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters clustered into lines by their tops (a line goes on while each top is
    within Y_TOLERANCE of the one before, as pdfplumber clusters), each left to right."""
    chars.sort()
    lines: list[list[Char]] = []
    last_top = float("-inf")
    for char in chars:
        if char[0] - last_top > Y_TOLERANCE:
            lines.append([])
        lines[-1].append(char)
        last_top = char[0]
    return [sorted(line, key=lambda char: char[1]) for line in lines]


def line_words(line: list[Char]) -> Iterator[list[Char]]:
    """A line's characters split into words at spaces and at gaps: pdfplumber's test, a
    character left of the previous one's start or more than X_TOLERANCE past its end (or on
    another line) starts a new word."""
    word: list[Char] = []
    for char in line:
        if not char[3] or char[3].isspace():
            if word:
                yield word
            word = []
            continue
        if word:
            last = word[-1]
            if (char[1] < last[1] or char[1] > last[2] + X_TOLERANCE
                    or abs(char[0] - last[0]) > Y_TOLERANCE):
                yield word
                word = []
        word.append(char)
    if word:
        yield word


def as_word(reader: CharReader, run: list[Char]) -> dict[str, Any]:
    """A word from its characters: their text and sides, and pdfminer's top and bottom of its
    first character (a word is one font in all but odd cases; this saves calls per character)."""
    top, bottom = reader.box_height(run[0][4])
    return {"text": "".join(char[3] for char in run), "x0": run[0][1], "top": top,
            "x1": max(char[2] for char in run), "bottom": bottom}
