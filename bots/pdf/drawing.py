"""The drawn boxes of a page and the marks inside them: a tick is a drawing, not a word.

Paper forms printed to PDF draw their checkboxes as small squares and a person's (or a
program's) tick as pen strokes, a cross or a letter inside one. None of that is text, so the
text layer cannot say which box is ticked. Here each page's objects are read with PDFium: a
**box** is a closed outline 5 to 25 points wide and about as high (a square, a rounded square
as browsers print a checkbox, a circle as they print a radio button); a **mark** is any other
object (a stroke, a glyph, an image) whose middle lies inside a box and that is not larger than
it, or the box itself filled dark. Outlines around one middle are one box. Boxes drawn as four
separate lines, and scans (an image of the whole page), are not recognized: rules read those
another way.

Boxes are in the words' frame (points, origin top-left, turned with the page's /Rotate), so
they compare with word boxes directly.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from bots.pdf.lines import Box
from bots.pdf.words import PDFIUM_LOCK, upright

SIDE = (5.0, 25.0)  # points: the size of a checkbox on a printed form
SQUARE = 0.25  # width and height may differ by this share of the larger
DARK = 0.45  # a fill darker than this (0 black, 1 white) ticks a box
EDGE_BAND = 0.2  # an outline's points lie within this share of its size from its extent's edge


@dataclass(frozen=True)
class Drawn:
    """A page's checkbox squares, each with whether something is drawn inside it."""

    boxes: tuple[tuple[Box, bool], ...]  # (box, marked)


class Drawings:
    """Each page's drawn boxes, read from the PDF's bytes when a rule first asks for a page."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.read: dict[int, Drawn] = {}

    def page(self, number: int) -> Drawn:
        """The boxes of page ``number`` (1 is the first)."""
        if number not in self.read:
            self.read[number] = read_drawn(self.data, number)
        return self.read[number]


def read_drawn(data: bytes, number: int) -> Drawn:
    """One page's boxes and marks."""
    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            page = pdf[number - 1]
            try:
                return drawn_on(page)
            finally:
                page.close()
        finally:
            pdf.close()


def drawn_on(page: pdfium.PdfPage) -> Drawn:
    """The boxes on a page and, for each, whether a mark is inside it."""
    left, bottom, right, top = (float(edge) for edge in page.get_mediabox())
    outlines: list[tuple[Box, bool]] = []
    others: list[Box] = []
    for thing in page.get_objects():
        box = framed(thing.get_bounds(), left, top)
        if thing.type == pdfium_c.FPDF_PAGEOBJ_PATH and is_square(box) and is_outline(thing):
            outlines.append((box, filled_dark(thing)))
        else:
            others.append(box)
    marked = [(box, dark or any(inside(mark, box) for mark in others))
              for box, dark in merged(outlines)]
    turned = turn([box for box, _ in marked], page.get_rotation() % 360, right - left,
                  top - bottom)
    return Drawn(tuple(zip(turned, (mark for _, mark in marked), strict=True)))


def merged(outlines: list[tuple[Box, bool]]) -> list[tuple[Box, bool]]:
    """Outlines drawn around one middle as one box (a browser draws a checkbox's fill and its
    border apart, a radio button's dot inside its ring): the largest, marked if any is."""
    boxes: list[tuple[Box, bool]] = []
    for box, dark in sorted(outlines, key=lambda pair: pair[0][0] - pair[0][2]):  # largest first
        home = next((index for index, (kept, _) in enumerate(boxes) if concentric(kept, box)),
                    None)
        if home is None:
            boxes.append((box, dark))
        else:
            boxes[home] = (boxes[home][0], boxes[home][1] or dark)
    return boxes


def concentric(outer: Box, inner: Box) -> bool:
    """Whether a smaller outline sits in the middle of a larger one."""
    slack = 0.25 * (outer[2] - outer[0])
    return (abs((outer[0] + outer[2]) - (inner[0] + inner[2])) / 2 <= slack
            and abs((outer[1] + outer[3]) - (inner[1] + inner[3])) / 2 <= slack)


def framed(bounds: tuple[float, float, float, float], left: float, top: float) -> Box:
    """PDF-space bounds (left, bottom, right, top) in the words' frame."""
    x0, y0, x1, y1 = bounds
    return (x0 - left, top - y1, x1 - left, top - y0)


def is_square(box: Box) -> bool:
    """Whether a box has a checkbox's size and shape."""
    width, height = box[2] - box[0], box[3] - box[1]
    low, high = SIDE
    return (low <= width <= high and low <= height <= high
            and abs(width - height) <= SQUARE * max(width, height))


def is_outline(path: pdfium.PdfObject) -> bool:
    """Whether a path is one closed outline whose points all keep to the edge of its extent:
    a square, a rounded square or a circle; not a tick, a cross or a letter."""
    points, closed = path_points(path)
    if len(points) < 4 or not (closed or points[0] == points[-1]):
        return False
    xs, ys = [x for x, _ in points], [y for _, y in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    band = EDGE_BAND * max(x1 - x0, y1 - y0)
    return all(min(x - x0, x1 - x, y - y0, y1 - y) <= band for x, y in points)


def path_points(path: pdfium.PdfObject) -> tuple[list[tuple[float, float]], bool]:
    """The points of a path's segments (in its own space, rounded to a tenth) and whether it
    is closed; a second move starts another figure, so it is no outline."""
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []
    closed = False
    for index in range(pdfium_c.FPDFPath_CountSegments(path.raw)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path.raw, index)
        if index and pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO:
            return [], False
        if pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            points.append((round(x.value, 1), round(y.value, 1)))
        closed = closed or bool(pdfium_c.FPDFPathSegment_GetClose(segment))
    return points, closed


def filled_dark(path: pdfium.PdfObject) -> bool:
    """Whether a path is filled with a dark colour (a box blacked out as its tick)."""
    mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(path.raw, ctypes.byref(mode), ctypes.byref(stroke)):
        return False
    if mode.value == pdfium_c.FPDF_FILLMODE_NONE:
        return False
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetFillColor(path.raw, *(ctypes.byref(part) for part in
                                                         (red, green, blue, alpha))):
        return False
    light = (0.299 * red.value + 0.587 * green.value + 0.114 * blue.value) / 255
    return alpha.value > 0 and light < DARK


def inside(mark: Box, box: Box) -> bool:
    """Whether a mark's middle lies in a box and the mark is no larger than the box (with the
    slack of a pen stroke's width)."""
    middle_x, middle_y = (mark[0] + mark[2]) / 2, (mark[1] + mark[3]) / 2
    slack = 0.3 * (box[2] - box[0])
    return (box[0] < middle_x < box[2] and box[1] < middle_y < box[3]
            and mark[2] - mark[0] <= box[2] - box[0] + slack
            and mark[3] - mark[1] <= box[3] - box[1] + slack)


def turn(boxes: list[Box], rotation: int, width: float, height: float) -> list[Box]:
    """Boxes turned as the page's words are (bots.pdf.words.upright)."""
    as_words = [{"x0": b[0], "top": b[1], "x1": b[2], "bottom": b[3]} for b in boxes]
    turned = upright(as_words, rotation, width, height)
    return [(word["x0"], word["top"], word["x1"], word["bottom"]) for word in turned]
