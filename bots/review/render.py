"""A source PDF's pages as PNG images, with a labelled box around every extracted value.

Provenance boxes are ``[x0, top, x1, bottom]`` in PDF points from the page's top-left corner
(pdfplumber's convention), so they scale straight onto the rendered bitmap.
"""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

SCALE = 1.5
BOX_COLOUR = (220, 20, 20)
LABEL_TEXT = (255, 255, 255)
LABEL_SIZE = 12


class PageUnavailable(Exception):
    """The page cannot be shown: no file, not a PDF, damaged, encrypted, or no such page."""


def page_count(path: str) -> int:
    """How many pages the PDF has; 0 when it cannot be opened."""
    try:
        document = pdfium.PdfDocument(path)
    except (pdfium.PdfiumError, OSError, ValueError):
        return 0
    try:
        return len(document)
    finally:
        document.close()


def boxes_on_page(provenance: dict[str, Any], page: int) -> dict[tuple[float, ...], list[str]]:
    """The boxes on one page (1-based), each with the names of the fields found in it."""
    found: dict[tuple[float, ...], list[tuple[str, str]]] = defaultdict(list)
    for step_id, fields in (provenance or {}).items():
        for field, where in (fields or {}).items():
            box = _box(where) if isinstance(where, dict) and where.get("page") == page else None
            if box:
                found[box].append((step_id, field))
    steps = {step_id for names in found.values() for step_id, _ in names}
    return {box: [field if len(steps) == 1 else f"{step_id}.{field}" for step_id, field in names]
            for box, names in found.items()}


def _box(where: dict[str, Any]) -> tuple[float, ...] | None:
    box = where.get("box")
    if not isinstance(box, list | tuple) or len(box) != 4:
        return None
    try:
        return tuple(float(number) for number in box)
    except (TypeError, ValueError):
        return None


def render_page(path: str, page: int, provenance: dict[str, Any]) -> bytes:
    """PNG bytes of one page (1-based) with the provenance boxes drawn on it."""
    image = _rasterize(path, page)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=LABEL_SIZE)
    for box, fields in boxes_on_page(provenance, page).items():
        _draw_box(draw, font, box, ", ".join(sorted(fields)))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _rasterize(path: str, page: int) -> Image.Image:
    if not Path(path).is_file():
        raise PageUnavailable(f"the source file {path} is not there any more")
    try:
        document = pdfium.PdfDocument(path)
    except (pdfium.PdfiumError, OSError, ValueError) as error:
        raise PageUnavailable(f"{path} cannot be opened as a PDF: {error}") from error
    try:
        if not 1 <= page <= len(document):
            raise PageUnavailable(f"{path} has no page {page}")
        bitmap = document[page - 1].render(scale=SCALE)
        image: Image.Image = bitmap.to_pil().convert("RGB")
        return image
    finally:
        document.close()


def _draw_box(draw: ImageDraw.ImageDraw, font: Any, box: tuple[float, ...], label: str) -> None:
    x0, top, x1, bottom = (value * SCALE for value in box)
    pad = 2
    draw.rectangle((x0 - pad, top - pad, x1 + pad, bottom + pad), outline=BOX_COLOUR, width=2)
    left, upper, right, lower = draw.textbbox((0, 0), label, font=font)
    width, height = right - left, lower - upper
    label_top = max(0.0, top - pad - height - 4)
    draw.rectangle((x0 - pad, label_top, x0 - pad + width + 4, label_top + height + 4),
                   fill=BOX_COLOUR)
    draw.text((x0, label_top + 2 - upper), label, fill=LABEL_TEXT, font=font)
