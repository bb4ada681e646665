"""One page's characters as PDFium knows them: its text in one call, and the boxes of the
characters asked for by index, through lean calls.

pypdfium2 declares every function's argument types, and ctypes then checks and converts each
argument of each call: for a character's box that was two thirds of the call's cost. A dense
page asks for two boxes a word, thousands a page, so the calls made per word go through
prototypes of the same functions of the same library with no declared arguments (the handle
passed as a void pointer, the index as a C int, the rectangle by reference): 2.5 times faster.
Only functions whose arguments are all handles, ints and pointers are called this way.

PDFium is not thread-safe: callers hold ``bots.pdf.words.PDFIUM_LOCK``.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Box = tuple[float, float, float, float]  # left, top, right, bottom; origin top-left
HYPHENS = {0xFFFE: "-", 0x02: "-"}  # PDFium's marks for a hyphen that ends a line: it is one


def unchecked(function: Any, returns: Any = ctypes.c_int) -> Any:
    """The same C function, called without ctypes' per-argument checks (``returns``: its
    result's C type; a pointer comes back as an int, to be wrapped in c_void_p to pass on)."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    if address is None:
        raise ImportError(f"PDFium has no {function.__name__}")
    return ctypes.CFUNCTYPE(returns)(address)


LOOSE_BOX = unchecked(pdfium_c.FPDFText_GetLooseCharBox)  # (page, index, FS_RECTF*)
IS_GENERATED = unchecked(pdfium_c.FPDFText_IsGenerated)  # (page, index)
ORIGIN = unchecked(pdfium_c.FPDFText_GetCharOrigin)  # (page, index, double* x, double* y)
FONT_SIZE = unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)  # (page, index)
TEXT_OBJECT = unchecked(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)  # (page, index)
OBJECT_FONT = unchecked(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p)  # (text object)


class TextPage:
    """One page's characters as PDFium knows them: the text, and boxes asked for by index."""

    def __init__(self, textpage: pdfium.PdfTextPage, left: float, top: float) -> None:
        self.source = textpage  # held: pypdfium2 closes a text page nobody refers to
        self.raw = textpage.raw
        self.handle = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
        self.left, self.top = left, top  # the media box's top-left corner in PDF space
        self.rect = (ctypes.c_float * 4)()  # an FS_RECTF: left, top, right, bottom
        self.rect_ref = ctypes.byref(self.rect)  # made once: byref costs as much as the call
        self.rect_floats = memoryview(self.rect).cast("B").cast("f")  # read 3x faster
        self.heights: dict[tuple[float, float], tuple[float, float]] = {}
        self.origin = (ctypes.c_double * 2)()  # a character's origin, x and y
        self.origin_refs = (ctypes.byref(self.origin), ctypes.byref(self.origin, 8))
        self.descents: dict[int | None, float | None] = {}  # per font (its address)
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
        LOOSE_BOX(self.handle, index, self.rect_ref)
        left, top, right, bottom = self.rect_floats
        return (left - self.left, self.top - top, right - self.left, self.top - bottom)

    def made_up(self, start: int, end: int) -> bool:
        """Whether the characters from start to end (spaces) were all inserted by PDFium."""
        handle = self.handle
        if end - start == 1:  # nearly always one space
            return bool(IS_GENERATED(handle, start) == 1)
        return all(IS_GENERATED(handle, index) == 1 for index in range(start, end))

    def height(self, index: int, box: Box) -> tuple[float, float]:
        """pdfminer's top and bottom of a character, kept per loose box height (one font and
        size on one baseline)."""
        key = (box[1], box[3])
        if key not in self.heights:
            self.heights[key] = self.measure(index)
        return self.heights[key]

    def measure(self, index: int) -> tuple[float, float]:
        """A character's top and bottom from its origin, font size and font descent (asked
        once a line, so through lean calls, and the descent once a font)."""
        handle = self.handle
        ORIGIN(handle, index, *self.origin_refs)
        size = FONT_SIZE(handle, index)
        text_object = TEXT_OBJECT(handle, index)
        font = OBJECT_FONT(ctypes.c_void_p(text_object)) if text_object else None
        if font not in self.descents:
            self.descents[font] = font_descent(font)
        descent = self.descents[font]
        bottom = self.top - self.origin[1] - (-0.2 if descent is None else descent) * size
        return bottom - size, bottom


def font_descent(font: int | None) -> float | None:
    """A font's descent per unit of size, None for no font or one whose descent PDFium does
    not know."""
    if not font:
        return None
    descent = ctypes.c_float(0.0)
    handle = ctypes.cast(ctypes.c_void_p(font), pdfium_c.FPDF_FONT)
    if not pdfium_c.FPDFFont_GetDescent(handle, ctypes.c_float(1000.0), ctypes.byref(descent)):
        return None
    return descent.value / 1000
