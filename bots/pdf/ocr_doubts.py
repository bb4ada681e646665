"""A value read from uncertain OCR words is a doubt: its confidence drops to the weakest word's.

OCR words carry Tesseract's confidence (bots/pdf/ocr.py; a text layer's words are 1.0). After
the rules have read a document, each field's words are found again by its provenance box;
when the weakest is below the OCR threshold, the field's ``_confidence`` is multiplied by that
word's confidence, with the word and its score as the reason. The step's ``min_confidence``
then sends the item to review (LOW_CONFIDENCE) instead of keying a misread value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bots.kernel.errors import BusinessError
from bots.pdf.confidence import lower
from bots.pdf.document import Document
from bots.pdf.lines import Word
from bots.pdf.rules import LayoutRules

ReadText = Callable[[Document, list[LayoutRules]], dict[str, Any]]
SLACK = 1.0  # points a word's centre may lie outside a value's (rounded) box


def with_ocr_doubts(read: ReadText, threshold: float) -> ReadText:
    """``read`` (the text rules), then the OCR doubts marked on its result or on the values
    kept in its error's ``partial``."""
    def reading(document: Document, layouts: list[LayoutRules]) -> dict[str, Any]:
        try:
            result = read(document, layouts)
        except BusinessError as error:
            partial = error.details.get("partial")
            if isinstance(partial, dict):
                mark_ocr_doubts(document, partial, threshold)
            raise
        mark_ocr_doubts(document, result, threshold)
        return result
    return reading


def mark_ocr_doubts(document: Document, result: dict[str, Any], threshold: float) -> None:
    """Lower the confidence of every field read from an OCR word below ``threshold``."""
    if threshold <= 0 or not has_ocr_words(document):
        return
    for field, source in (result.get("_provenance") or {}).items():
        sources = source if isinstance(source, list) else [source]
        weak = [word for place in sources for word in words_of(document, place)
                if word.confidence < threshold]
        if weak and result.get(field) is not None:
            weakest = min(weak, key=lambda word: word.confidence)
            lower(result, field, weakest.confidence,
                  f"OCR read {weakest.text!r} with confidence {weakest.confidence:.2f}, "
                  f"below {threshold:.2f}")


def has_ocr_words(document: Document) -> bool:
    """Whether any page was read by OCR (its words are not all sure), without parsing a
    text layer the rules never asked for."""
    if not getattr(document, "pages_read", True):
        return False
    return any(word.confidence < 1.0 for page in document.pages for line in page.lines
               for word in line.words)


def words_of(document: Document, place: Any) -> list[Word]:
    """The words inside a provenance entry's box on its page (none without a page or box)."""
    if not isinstance(place, dict) or not place.get("page") or not place.get("box"):
        return []
    number, (x0, top, x1, bottom) = int(place["page"]), place["box"]
    if not 0 < number <= len(document.pages):
        return []
    return [word for line in document.pages[number - 1].lines for word in line.words
            if x0 - SLACK <= (word.x0 + word.x1) / 2 <= x1 + SLACK
            and top - SLACK <= (word.top + word.bottom) / 2 <= bottom + SLACK]
