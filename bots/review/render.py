"""A source PDF's pages as PNG images, with a labelled box around every extracted value.

Provenance boxes are ``[x0, top, x1, bottom]`` in PDF points from the page's top-left corner
(pdfplumber's convention), so they scale straight onto the rendered bitmap. A page is drawn at
SCALE, smaller when that would pass MAX_PIXELS (a 14,400-point page at 1.5 would be 466 million
pixels, 1.9 GB): its size in pixels is capped, whatever its size in points. A file above the
input limits (bots/pdf/limits.py: size, inflated streams, image pixels) is not drawn at all.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from bots.kernel.errors import BotError
from bots.pdf.limits import InputLimits, check_file_size
from bots.pdf.streams import check_streams

SCALE = 1.5
BOX_COLOUR = (220, 20, 20)
LABEL_TEXT = (255, 255, 255)
LABEL_SIZE = 12
MAX_PIXELS = 4_000_000  # about 2000 x 2000: sharp on a screen, 16 MB as RGBA
MAX_SIDE = 4000  # a long strip of a page stays readable, not a needle


class PageUnavailable(Exception):
    """The page cannot be shown: no file, not a PDF, damaged, encrypted, or no such page."""


def page_count(path: str) -> int:
    """How many pages the PDF has; 0 when it cannot be opened or is too costly to draw."""
    if not Path(path).is_file() or _over_limits(path, *_file_version(path)):
        return 0
    try:
        document = pdfium.PdfDocument(path)
    except (pdfium.PdfiumError, OSError, ValueError):
        return 0
    try:
        return len(document)
    finally:
        document.close()


def page_sizes(path: str, first: int, last: int) -> dict[int, tuple[float, float]]:
    """Each page's size in points, pages first to last (1-based); {} when the file cannot
    be drawn (page_count's refusals)."""
    if not Path(path).is_file() or _over_limits(path, *_file_version(path)):
        return {}
    try:
        document = pdfium.PdfDocument(path)
    except (pdfium.PdfiumError, OSError, ValueError):
        return {}
    try:
        last = min(last, len(document))
        return {number: _size(document[number - 1]) for number in range(first, last + 1)}
    finally:
        document.close()


def _size(page: Any) -> tuple[float, float]:
    width, height = page.get_size()
    return float(width), float(height)


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


def render_page(path: str, page: int, provenance: dict[str, Any],
                labels: bool = True) -> bytes:
    """PNG bytes of one page (1-based) with the provenance boxes drawn on it, each labelled
    with its fields' names unless `labels` is False (the review page names them itself: a
    label drawn over the line above a box hides the text there)."""
    image, scale = _rasterize(path, page)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=LABEL_SIZE)
    for box, fields in boxes_on_page(provenance, page).items():
        _draw_box(draw, font, tuple(value * scale for value in box),
                  ", ".join(sorted(fields)) if labels else "")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def render_scale(width: float, height: float) -> float:
    """The scale to draw a page of width x height points at: SCALE, or less to stay within
    MAX_PIXELS and MAX_SIDE."""
    area = max(width * height, 1.0)
    return min(SCALE, math.sqrt(MAX_PIXELS / area), MAX_SIDE / max(width, height, 1.0))


def _rasterize(path: str, page: int) -> tuple[Image.Image, float]:
    if not Path(path).is_file():
        raise PageUnavailable(f"the source file {path} is not there any more")
    refusal = _over_limits(path, *_file_version(path))
    if refusal:
        raise PageUnavailable(refusal)
    try:
        document = pdfium.PdfDocument(path)
    except (pdfium.PdfiumError, OSError, ValueError) as error:
        raise PageUnavailable(f"{path} cannot be opened as a PDF: {error}") from error
    try:
        if not 1 <= page <= len(document):
            raise PageUnavailable(f"{path} has no page {page}")
        pdf_page = document[page - 1]
        scale = render_scale(*pdf_page.get_size())
        image: Image.Image = pdf_page.render(scale=scale).to_pil().convert("RGB")
        return image, scale
    finally:
        document.close()


def _file_version(path: str) -> tuple[int, int]:
    status = Path(path).stat()
    return status.st_mtime_ns, status.st_size


@lru_cache(maxsize=64)
def _over_limits(path: str, _mtime_ns: int, _size: int) -> str:
    """Why the file is too costly to draw (the default input limits), or ''; once per version
    of the file, not once per page image."""
    limits = InputLimits()
    try:
        check_file_size(Path(path), limits)
        check_streams(Path(path).read_bytes(), Path(path), limits)
    except BotError as error:
        return error.message
    return ""


def _draw_box(draw: ImageDraw.ImageDraw, font: Any, box: tuple[float, ...], label: str) -> None:
    x0, top, x1, bottom = box  # already in pixels
    pad = 2
    draw.rectangle((x0 - pad, top - pad, x1 + pad, bottom + pad), outline=BOX_COLOUR, width=2)
    if not label:
        return
    left, upper, right, lower = draw.textbbox((0, 0), label, font=font)
    width, height = right - left, lower - upper
    label_top = max(0.0, top - pad - height - 4)
    draw.rectangle((x0 - pad, label_top, x0 - pad + width + 4, label_top + height + 4),
                   fill=BOX_COLOUR)
    draw.text((x0, label_top + 2 - upper), label, fill=LABEL_TEXT, font=font)
