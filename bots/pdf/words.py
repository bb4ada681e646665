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
holds ``PDFIUM_LOCK`` (other modules that render or read with pypdfium2 take it too). The
characters and their boxes come from bots/pdf/text_page.py; the words are Words
(bots/pdf/lines.py) from the start, cleaned of invisible characters before they leave.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pypdfium2 as pdfium

from bots.pdf.lines import Word, clean_word
from bots.pdf.text_page import IS_GENERATED, LOOSE_BOX, Box, TextPage

PDFIUM_LOCK = threading.RLock()
X_TOLERANCE = 3.0  # pdfplumber's defaults, so that words stay what the rules were written for
Y_TOLERANCE = 3.0
RUN = re.compile(r"\S+")
ASCII_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")  # the ASCII controls str.split keeps


def cleaned(found: list[Word], text: str) -> list[Word]:
    """The words, their text without control and invisible characters (rare: the page's
    text is looked at once, and only its odd words are cleaned)."""
    if ((text.isascii() and not ASCII_CONTROL.search(text))
            or "".join(text.split()).isprintable()):
        return found  # nothing to clean (the ASCII test first: 50 times faster)
    kept = (word if word.text.isprintable() else word._replace(text=clean_word(word.text))
            for word in found)
    return [word for word in kept if word.text]  # a word of invisible characters goes


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while pages are read, as it was before.

    A page makes a Word (a tuple, tracked by the collector) per word and keeps them all, so
    the collector ran once every 700 words to find no garbage: 6 % of a dense page's time.
    Reading makes no reference cycles. The switch is the process's: a reader holds
    PDFIUM_LOCK, so readers do not overlap, and a collector that was off stays off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def page_words(page: pdfium.PdfPage) -> list[Word]:
    """The words of one page as pdfplumber's ``extract_words()`` gives them (text, x0, top,
    x1, bottom), in PDFium's reading of the content order (lines group them later)."""
    left, bottom, right, top = (float(edge) for edge in page.get_mediabox())
    textpage = page.get_textpage()
    try:
        found = words(TextPage(textpage, left, top))
    finally:
        textpage.close()
    rotation = page.get_rotation() % 360
    if rotation not in (90, 180, 270):
        return found
    return [Word(word.text, *turned(word[1:5], rotation, right - left, top - bottom))
            for word in found]


def page_size(page: pdfium.PdfPage) -> tuple[float, float]:
    """The page's width and height as shown (its media box, turned by its /Rotate), the
    frame the word boxes are in."""
    left, bottom, right, top = (float(edge) for edge in page.get_mediabox())
    turned = page.get_rotation() % 180 == 90
    return (top - bottom, right - left) if turned else (right - left, top - bottom)


def upright(found: list[dict[str, Any]], rotation: int, width: float,
            height: float) -> list[dict[str, Any]]:
    """Word boxes (dicts) turned as a viewer shows a page with /Rotate (as pdfplumber turned
    them); ``width`` and ``height`` are the unturned media box's."""
    if rotation not in (90, 180, 270):
        return found
    for word in found:
        box = (word["x0"], word["top"], word["x1"], word["bottom"])
        word.update(zip(("x0", "top", "x1", "bottom"), turned(box, rotation, width, height),
                        strict=True))
    return found


def turned(box: tuple[float, ...], rotation: int, width: float, height: float) -> Box:
    """One box (x0, top, x1, bottom) turned by 90, 180 or 270 degrees."""
    x0, top, x1, bottom = box
    if rotation == 90:
        return (height - bottom, x0, height - top, x1)
    if rotation == 180:
        return (width - x1, height - bottom, width - x0, height - top)
    return (top, width - x1, bottom, width - x0)


def words(page: TextPage) -> list[Word]:
    """Every run of non-space characters, the boxes of its two ends asked for, as words.

    Every word of every page goes through this loop, so it is written out on plain numbers
    (a method call or a tuple per word cost more than the PDFium calls), and the tests between
    words are made on PDFium's own coordinates (y up), turned into the page's (top-left
    origin) only for the words kept; a run that a hyphen carried onto the next line goes the
    general way, ``add_pieces``, with the same tests."""
    found: list[Word] = []
    text, handle, rect, floats = page.text, page.handle, page.rect_ref, page.rect_floats
    dx, dy = page.left, page.top
    end, b_left, b_top, b_right = -1, 0.0, 0.0, 0.0  # the last run's end and last character
    h_top, h_bottom, upper, lower = -1.0, -1.0, 0.0, 0.0  # the last word's height, kept
    box, generated, append, new = LOOSE_BOX, IS_GENERATED, found.append, tuple.__new__
    for match in RUN.finditer(text):
        start, stop = match.span()
        box(handle, start, rect)
        x0, top, x1, bottom = floats  # PDFium's: top is above bottom
        if stop - start > 1:
            box(handle, stop - 1, rect)
            l_left, l_top, l_right, _ = floats
            if l_top != top and not -Y_TOLERANCE <= l_top - top <= Y_TOLERANCE:  # no abs()
                before = (b_left - dx, dy - b_top, b_right - dx, 0.0)
                end, last = add_pieces(page, found, (end, before), start, stop)
                b_left, b_top, b_right = last[0] + dx, dy - last[1], last[2] + dx
                continue
        else:
            l_left, l_top, l_right = x0, top, x1
        # pdfplumber's test for one word: on the last one's line, at most X_TOLERANCE past
        # its end and not left of its last character, only made-up spaces between
        if (x0 >= b_left and x0 - b_right <= X_TOLERANCE
                and (top == b_top or -Y_TOLERANCE <= top - b_top <= Y_TOLERANCE) and found
                and (generated(handle, end) == 1 if start - end == 1
                     else page.made_up(end, start))):
            found[-1] = joined(found[-1], text[start:stop], l_right - dx)
        else:
            if top != h_top or bottom != h_bottom:  # a new font or line: its height
                h_top, h_bottom = top, bottom
                upper, lower = page.height(start, (x0 - dx, dy - top, x1 - dx, dy - bottom))
            append(new(Word, (text[start:stop], x0 - dx, upper,
                              (x1 if x1 > l_right else l_right) - dx, lower, 1.0)))
        end = stop  # one by one: no tuple built and taken apart for every word
        b_left = l_left
        b_top = l_top
        b_right = l_right
    return cleaned(found, text)


def joined(word: Word, text: str, right: float) -> Word:
    """A word with the run that continues it (no real space between), reaching ``right``."""
    return word._replace(text=word.text + text, x1=max(word.x1, right))


def add_pieces(page: TextPage, found: list[Word], state: tuple[int, Box], run_start: int,
               run_stop: int) -> tuple[int, Box]:
    """``words``'s loop for a run that runs onto another line, piece by piece; returns where
    the last piece ended and its last character's box."""
    end, before = state
    for start, stop, first, last in split_lines(page, run_start, run_stop):
        if (found and first[0] >= before[0] and first[0] - before[2] <= X_TOLERANCE
                and abs(first[1] - before[1]) <= Y_TOLERANCE and page.made_up(end, start)):
            found[-1] = joined(found[-1], page.text[start:stop], last[2])
        else:
            top, bottom = page.height(start, first)
            found.append(Word(page.text[start:stop], first[0], top,
                              max(first[2], last[2]), bottom))
        end, before = stop, last
    return end, before


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
