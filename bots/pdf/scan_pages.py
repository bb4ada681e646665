"""Which pages of a PDF are scans that OCR should read, and how OCR words join a page's text.

A page is a scan when it has no words but draws something (an image, outlined text), or when
its few words sit over an image covering most of the page: a fax header, a "RECEIVED" stamp or
a page number a system printed onto a scanned sheet. Without the second case such a page
looked like text and its scanned content was never read. A "searchable" scan (an invisible OCR
layer already under the image) has its words and is left alone.
"""

from __future__ import annotations

from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from bots.pdf.lines import Page, Word
from bots.pdf.words import PDFIUM_LOCK

STAMP_WORDS = 12  # at most this many words over a page-sized image: a stamped scan
IMAGE_SHARE = 0.5  # an image covering at least half the page makes it a scan
SLACK = 1.0  # points an OCR word's centre may lie outside a text word's box and repeat it


def scanned_pages(data: bytes, pages: list[Page]) -> list[int]:
    """The numbers of the pages OCR should read (see the module's docstring)."""
    few = [page for page in pages if word_count(page) <= STAMP_WORDS]
    if not few:
        return []
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            return [page.number for page in few if is_scan(document[page.number - 1], page)]
        finally:
            document.close()


def is_scan(drawn: pdfium.PdfPage, page: Page) -> bool:
    """A page without words that draws anything, or a few words over a page-sized image."""
    if not page.lines:
        return next(iter(drawn.get_objects()), None) is not None
    return image_share(drawn) >= IMAGE_SHARE


def image_share(drawn: pdfium.PdfPage) -> float:
    """How much of the page its images cover (their boxes summed, at most 1)."""
    width, height = (float(side) for side in drawn.get_size())
    covered = 0.0
    for image in drawn.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = image.get_bounds()
        covered += max(0.0, min(right, width) - max(left, 0.0)) * max(
            0.0, min(top, height) - max(bottom, 0.0))
    return min(1.0, covered / max(width * height, 1.0))


def word_count(page: Page) -> int:
    """How many words a page's text layer has."""
    return sum(len(line.words) for line in page.lines)


def joined_words(page: Page, read: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's own words with the OCR words that do not repeat one of them."""
    own = [as_dict(word) for line in page.lines for word in line.words]
    return own + [word for word in read if not any(repeats(word, mine) for mine in own)]


def repeats(word: dict[str, Any], mine: dict[str, Any]) -> bool:
    """Whether an OCR word's centre lies on a text-layer word (it read the same print)."""
    x = (float(word["x0"]) + float(word["x1"])) / 2
    y = (float(word["top"]) + float(word["bottom"])) / 2
    return (float(mine["x0"]) - SLACK <= x <= float(mine["x1"]) + SLACK
            and float(mine["top"]) - SLACK <= y <= float(mine["bottom"]) + SLACK)


def as_dict(word: Word) -> dict[str, Any]:
    """A Word as the word dict lines are grouped from."""
    return {"text": word.text, "x0": word.x0, "top": word.top, "x1": word.x1,
            "bottom": word.bottom, "confidence": word.confidence}
