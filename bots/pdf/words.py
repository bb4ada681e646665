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
gives '€' no width in the standard fonts, PDFium its real one; with an embedded TrueType font
the two disagree on advances by about 0.1 % (half a point at a line's end); PDFium's box for
an oblique standard font leans up to a point and a half further right; bottoms differ by a
few hundredths of the font size where PDFium's substitute font has another descent; a
character the font cannot show (reportlab draws a black box) reads U+25A0 here and a wrong
letter in pdfminer; a page turned by /Rotate has pdfplumber's frame, but a word upside down
or turned to 270 degrees reads forwards ('Policy', where pdfplumber gave 'yciloP'); a media
box away from the origin is measured from its own top-left corner (pdfplumber shifted y and
not x).

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

    def __init__(self, textpage: pdfium.PdfTextPage, left: float, top: float) -> None:
        self.raw = textpage.raw
        self.left, self.top = left, top  # the media box's top-left corner in PDF space
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
        return (rect.left - self.left, self.top - rect.top, rect.right - self.left,
                self.top - rect.bottom)

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


class Words:
    """The page's words as they are built: a run of characters starts a word, or joins the
    last one when pdfplumber would not have split them (see ``joins``)."""

    def __init__(self, page: TextPage) -> None:
        self.page = page
        self.found: list[dict[str, Any]] = []
        self.end = -1  # where the last run ended, and the box of its last character
        self.last: Box = (0.0, 0.0, 0.0, 0.0)

    def add(self, start: int, end: int, first: Box, last: Box) -> None:
        """Take one run of characters (start to end) with the boxes of its ends."""
        text = self.page.text[start:end]
        if self.found and self.joins(start, first):
            word = self.found[-1]
            word["text"] += text
            word["x1"] = max(word["x1"], last[2])
        else:
            top, bottom = self.page.height(start, first)
            self.found.append({"text": text, "x0": first[0], "top": top,
                               "x1": max(first[2], last[2]), "bottom": bottom})
        self.end, self.last = end, last

    def joins(self, start: int, first: Box) -> bool:
        """pdfplumber's test: the run is on the last one's line, starts at most X_TOLERANCE
        past its end and not left of its last character, and the spaces between were made
        up by PDFium (a real space always splits)."""
        last = self.last
        return (first[0] >= last[0] and first[0] - last[2] <= X_TOLERANCE
                and abs(first[1] - last[1]) <= Y_TOLERANCE
                and self.page.made_up(self.end, start))


def page_words(page: pdfium.PdfPage) -> list[dict[str, Any]]:
    """The words of one page as pdfplumber's ``extract_words()`` gives them (text, x0, top,
    x1, bottom), in PDFium's reading of the content order (lines group them later)."""
    left, bottom, right, top = (float(edge) for edge in page.get_mediabox())
    textpage = page.get_textpage()
    try:
        found = words(TextPage(textpage, left, top))
    finally:
        textpage.close()
    return upright(found, page.get_rotation() % 360, right - left, top - bottom)


def page_size(page: pdfium.PdfPage) -> tuple[float, float]:
    """The page's width and height as shown (its media box, turned by its /Rotate), the
    frame the word boxes are in."""
    left, bottom, right, top = (float(edge) for edge in page.get_mediabox())
    turned = page.get_rotation() % 180 == 90
    return (top - bottom, right - left) if turned else (right - left, top - bottom)


def upright(found: list[dict[str, Any]], rotation: int, width: float,
            height: float) -> list[dict[str, Any]]:
    """Word boxes turned as a viewer shows a page with /Rotate (as pdfplumber turned them);
    ``width`` and ``height`` are the unturned media box's."""
    if rotation not in (90, 180, 270):
        return found
    for word in found:
        x0, top, x1, bottom = word["x0"], word["top"], word["x1"], word["bottom"]
        if rotation == 90:
            word.update(x0=height - bottom, top=x0, x1=height - top, bottom=x1)
        elif rotation == 180:
            word.update(x0=width - x1, top=height - bottom, x1=width - x0, bottom=height - top)
        else:
            word.update(x0=top, top=width - x1, x1=bottom, bottom=width - x0)
    return found


def words(page: TextPage) -> list[dict[str, Any]]:
    """Every run of non-space characters, its two ends' boxes asked for, as words."""
    built, box = Words(page), page.box  # the loop every word goes through: kept lean
    for match in RUN.finditer(page.text):
        start, end = match.span()
        first = box(start)
        last = box(end - 1) if end - start > 1 else first
        if abs(last[1] - first[1]) <= Y_TOLERANCE:
            built.add(start, end, first, last)
        else:  # PDFium ran a hyphenated word on into the next line
            for piece in split_lines(page, start, end):
                built.add(*piece)
    return built.found


def split_lines(page: TextPage, start: int, end: int) -> list[tuple[int, int, Box, Box]]:
    """A run of characters cut where it moves to another line (or back left)."""
    pieces: list[tuple[int, int, Box, Box]] = []
    for index in range(start, end):
        box = page.box(index)
        if pieces and abs(box[1] - pieces[-1][3][1]) <= Y_TOLERANCE and box[0] >= pieces[-1][3][0]:
            pieces[-1] = (pieces[-1][0], index + 1, pieces[-1][2], box)
        else:
            pieces.append((index, index + 1, box, box))
    return pieces
