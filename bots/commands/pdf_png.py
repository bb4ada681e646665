"""`pdf show FILE --png OUT`: one page drawn with a box round every word and its line numbers;
`try RECIPE FILE --png OUT`: the pages drawn with a labelled box round every value read.

Word boxes are in PDF points from the page's top-left corner (as the rules see them), so they
scale straight onto pypdfium2's bitmap. The page is drawn at the review page's scale, capped in
pixels (bots/review/render.py), so a huge page cannot fill the memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from bots.kernel.errors import BotError
from bots.pdf.document import Document
from bots.pdf.lines import Page
from bots.review.render import PageUnavailable, render_page, render_scale

WORD_COLOUR = (30, 110, 220)
NUMBER_COLOUR = (200, 30, 30)
MARGIN = 36  # pixels on the left for the line numbers


def draw_page(document: Document, number: int, out: Path) -> None:
    """Write page `number` (1-based) of the document as a PNG with word boxes and line numbers."""
    image, scale = rasterize(document.path, number)
    page = next(page for page in document.pages if page.number == number)
    canvas = Image.new("RGB", (image.width + MARGIN, image.height), "white")
    canvas.paste(image, (MARGIN, 0))
    mark_words(ImageDraw.Draw(canvas), page, scale)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        canvas.save(out, format="PNG")
    except OSError as error:
        raise BotError(f"cannot write {out}: {error}; choose another --png path",
                       code="STEP_FAILED") from error


def rasterize(path: Path, number: int) -> tuple[Image.Image, float]:
    """The page as an RGB image and the scale it was drawn at (pixels per point)."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:  # the text layer was read; the page cannot be drawn
        raise BotError(f"{path.name}: page {number} cannot be drawn ({error})",
                       code="CORRUPT_PDF") from error
    try:
        pdf_page = document[number - 1]
        scale = render_scale(*pdf_page.get_size())
        return pdf_page.render(scale=scale).to_pil().convert("RGB"), scale
    finally:
        document.close()


def mark_words(draw: ImageDraw.ImageDraw, page: Page, scale: float) -> None:
    """A thin box round each word and the line's number in the left margin."""
    font = ImageFont.load_default(size=max(8, int(8 * scale)))
    for index, line in enumerate(page.lines, 1):
        for word in line.words:
            draw.rectangle((MARGIN + word.x0 * scale, word.top * scale,
                            MARGIN + word.x1 * scale, word.bottom * scale),
                           outline=WORD_COLOUR, width=1)
        draw.text((2, line.top * scale), f"L{index}", fill=NUMBER_COLOUR, font=font)


def draw_values(path: Path, step_id: str, provenance: dict[str, Any], out: Path) -> list[Path]:
    """Each page that holds a value, drawn with the review page's labelled boxes; the files
    written (OUT itself for one page, OUT-pN.png for several)."""
    pages = sorted({place["page"] for place in places(provenance)
                    if isinstance(place.get("page"), int)})
    written = []
    for number in pages:
        target = out if len(pages) == 1 else out.with_name(f"{out.stem}-p{number}{out.suffix}")
        try:
            image = render_page(str(path), number, {step_id: provenance})
        except PageUnavailable as error:
            raise BotError(f"{path.name}: page {number} cannot be drawn ({error})",
                           code="CORRUPT_PDF") from error
        write_png(target, image)
        written.append(target)
    return written


def places(provenance: dict[str, Any]) -> list[dict[str, Any]]:
    """Every place a value came from (a table's rows each have one)."""
    found: list[dict[str, Any]] = []
    for where in provenance.values():
        found += [w for w in (where if isinstance(where, list) else [where])
                  if isinstance(w, dict)]
    return found


def write_png(out: Path, image: bytes) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(image)
    except OSError as error:
        raise BotError(f"cannot write {out}: {error}; choose another --png path",
                       code="STEP_FAILED") from error
