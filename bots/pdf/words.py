"""A page's words with their boxes, read with PDFium (pypdfium2): fast, and like pdfplumber's.

pdfplumber (pdfminer) parsed a page 10 to 30 times slower than PDFium. Here the page's text
comes from PDFium in one call, in which PDFium has already put a space at every gap between
words and a line break at every new line; a word is a run of non-space characters, and only
the ends of each word are asked for their boxes. The words are pdfplumber's ``extract_words``
words (its defaults): a space PDFium made up for a gap of 3 points or less (pdfplumber's
tolerance) is taken back, so the two readers split words alike. A word's box is pdfminer's:
its sides PDFium's character advances, its bottom the baseline less the font's descent, one
font size high (PDFium's own "loose" boxes are taller).

Known differences from pdfplumber, none of which moves a fixture's words: a gap wider than
3 points that PDFium did not see as a space (large type set tight) stays one word; pdfminer
gives '€' no width in the standard fonts, PDFium its real one; PDFium's box for an oblique
standard font leans up to a point further right; bottoms differ by a few hundredths of the
font size where PDFium's substitute font has another descent; a character the font cannot
show (reportlab draws a black box) reads U+25A0 here and a wrong letter in pdfminer.

PDFium is not thread-safe, and steps run in worker threads: every use of it in the process
holds ``PDFIUM_LOCK`` (other modules that render or read with pypdfium2 take it too).
"""

from __future__ import annotations

import ctypes
import re
import threading
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

PDFIUM_LOCK = threading.RLock()
X_TOLERANCE = 3.0  # pdfplumber's defaults, so that words stay what the rules were written for
Y_TOLERANCE = 3.0
RUN = re.compile(r"\S+")
HYPHENS = {0xFFFE: "-", 0x02: "-"}  # PDFium's marks for a hyphen that ends a line: it is one
Box = tuple[float, float, float, float]  # left, top, right, bottom; origin top-left


class TextPage:
    """One page's characters as PDFium knows them: the text, and boxes asked for by index."""

    def __init__(self, textpage: pdfium.PdfTextPage, top: float) -> None:
        self.raw = textpage.raw
        self.top = top  # the page's top edge in PDF space, where y grows upwards
        self.rect = pdfium_c.FS_RECTF()
        self.rect_ref = ctypes.byref(self.rect)  # made once: byref costs as much as the call
        self.heights: dict[tuple[float, float], tuple[float, float]] = {}
        self.count = pdfium_c.FPDFText_CountChars(self.raw)
        self.text = self.read_text()

    def read_text(self) -> str:
        """Every character's text, one per index: one call for the page, or one a character
        when PDFium's text does not line up with its characters (a character past U+FFFF)."""
        if self.count <= 0:
            return ""
        buffer = (ctypes.c_ushort * (self.count + 1))()
        written = pdfium_c.FPDFText_GetText(self.raw, 0, self.count, buffer)
        text = bytes(memoryview(buffer).cast("B")[:2 * max(written - 1, 0)]).decode(
            "utf-16-le", errors="replace")
        if len(text) != self.count:
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(self.raw, index))
                           for index in range(self.count))
        return text.translate(HYPHENS)

    def box(self, index: int) -> Box:
        """A character's loose box (its advance wide, its font's ascent to descent high)."""
        pdfium_c.FPDFText_GetLooseCharBox(self.raw, index, self.rect_ref)
        rect = self.rect
        return (rect.left, self.top - rect.top, rect.right, self.top - rect.bottom)

    def made_up(self, start: int, end: int) -> bool:
        """Whether the characters from start to end (spaces) were all inserted by PDFium."""
        if end - start == 1:  # nearly always one space
            return bool(pdfium_c.FPDFText_IsGenerated(self.raw, start) == 1)
        return all(pdfium_c.FPDFText_IsGenerated(self.raw, index) == 1
                   for index in range(start, end))

    def height(self, index: int, box: Box) -> tuple[float, float]:
        """pdfminer's top and bottom of a character, kept per loose box height (one font and
        size on one baseline)."""
        key = (box[1], box[3])
        if key not in self.heights:
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


class Run:
    """A word being built: the index range of its characters and the boxes of its ends."""

    def __init__(self, start: int, end: int, first: Box, last: Box) -> None:
        self.start, self.end, self.first, self.last = start, end, first, last
        self.joined = False  # made-up spaces inside, to leave out of the text

    def continued_by(self, page: TextPage, start: int, first: Box) -> bool:
        """Whether the next run is the same word to pdfplumber: on this line, starting at most
        X_TOLERANCE past this one's end and not left of its last character, the spaces
        between made up by PDFium."""
        last = self.last
        return (first[0] >= last[0] and first[0] - last[2] <= X_TOLERANCE
                and abs(first[1] - last[1]) <= Y_TOLERANCE
                and page.made_up(self.end, start))


def page_words(page: pdfium.PdfPage) -> list[dict[str, Any]]:
    """The words of one page as pdfplumber's ``extract_words()`` gives them (text, x0, top,
    x1, bottom), in PDFium's reading of the content order (lines group them later)."""
    textpage = page.get_textpage()
    try:
        reader = TextPage(textpage, float(page.get_mediabox()[3]))
        return [as_word(reader, run) for run in runs(reader)]
    finally:
        textpage.close()


def runs(page: TextPage) -> list[Run]:
    """The page's words as character ranges, PDFium's made-up spaces at small gaps taken
    back."""
    found: list[Run] = []
    for match in RUN.finditer(page.text):
        start, end = match.span()
        first = page.box(start)
        last = page.box(end - 1) if end - start > 1 else first
        pieces = [Run(start, end, first, last)]
        if abs(last[1] - first[1]) > Y_TOLERANCE:  # PDFium ran a hyphenated word on
            pieces = split_lines(page, start, end)
        if found and found[-1].continued_by(page, start, first):
            found[-1].end, found[-1].last, found[-1].joined = pieces[0].end, pieces[0].last, True
            pieces = pieces[1:]
        found += pieces
    return found


def split_lines(page: TextPage, start: int, end: int) -> list[Run]:
    """A run of characters cut where it moves to another line (or back left)."""
    pieces: list[Run] = []
    for index in range(start, end):
        box = page.box(index)
        last = pieces[-1].last if pieces else None
        if last is not None and abs(box[1] - last[1]) <= Y_TOLERANCE and box[0] >= last[0]:
            pieces[-1].end, pieces[-1].last = index + 1, box
        else:
            pieces.append(Run(index, index + 1, box, box))
    return pieces


def as_word(page: TextPage, run: Run) -> dict[str, Any]:
    """A word dict: its characters' text (made-up spaces left out), its sides, pdfminer's top
    and bottom of its first character."""
    text = page.text[run.start:run.end]
    if run.joined:
        text = "".join(text.split())
    top, bottom = page.height(run.start, run.first)
    return {"text": text, "x0": run.first[0], "top": top,
            "x1": max(run.first[2], run.last[2]), "bottom": bottom}
