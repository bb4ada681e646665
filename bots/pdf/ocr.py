"""Read pages without a text layer (scans) through OCR: Tesseract's words with their confidence.

A page is rendered with pypdfium2 (checked against the image pixel limit first), handed to the
`tesseract` program as a PNG on stdin, and its TSV answer (one row per word: box in pixels and
a confidence 0-100) becomes the same word dicts the text layer gives, in points, with
``confidence`` between 0 and 1. The words then make lines like any other page, so every
layout rule works on a scan unchanged.

Why Tesseract from Debian over an ONNX OCR wheel (rapidocr-onnxruntime): on the same rendered
form (bench/ocr_speed.py, bench/README.md "OCR") Tesseract 5 read 40 of 40 words right at
1.3 to 1.9 s per page, RapidOCR 7 of 40 at a similar speed: it joins a line's Latin words
without spaces and gives one box and one confidence per line, where the rules need words.
Tesseract installs from apt with one small package per language and runs as a program, so no
model files or native wheels are pinned in the venv. Setup installs it (bots/bootstrap.py).
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from pydantic import BaseModel, ConfigDict, Field

from bots.kernel.errors import ApplicationError, BusinessError
from bots.pdf.limits import InputLimits, check_image
from bots.pdf.lines import Page, group_lines
from bots.pdf.words import PDFIUM_LOCK

POINTS_PER_INCH = 72.0
TSV_WORD_LEVEL = "5"  # Tesseract's TSV rows: 1 page, 2 block, 3 paragraph, 4 line, 5 word
INSTALL_HINT = ("install the OCR engine with `python3 runner.py setup` as root, or "
                "`sudo apt-get install tesseract-ocr tesseract-ocr-eng`")


class OcrSettings(BaseModel):
    """How pages without a text layer are read: OCR languages, resolution, time allowed.

    How sure a value must be is the step's `min_confidence`: a value read from an OCR word
    less sure than 0.9 is as sure as that word (bots/pdf/locate.py), so a misread goes to
    review as LOW_CONFIDENCE."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(default=True, description=(
        "Read pages without a text layer through OCR; false keeps NO_TEXT_LAYER for scans."))
    languages: list[str] = Field(default=["eng"], min_length=1, description=(
        "Tesseract language codes the documents are written in, e.g. [fra, deu]; setup "
        "installs eng, deu, fra, nld, spa and ita. Order matters: put first the language "
        "whose accents the values carry ([fra, deu] read 'Élodie', [deu, fra] 'Elodie'). "
        "Each extra language costs time."))
    dpi: int = Field(default=300, ge=100, le=600, description=(
        "Resolution pages are rendered at for OCR; 300 suits printed forms."))
    timeout_s: float = Field(default=120, gt=0, description="Longest one page's OCR may take.")


def with_ocr(pages: list[Page], data: bytes, path: Path, settings: OcrSettings | None,
             limits: InputLimits | None = None) -> list[Page]:
    """The pages, each one without words but with something drawn read through OCR.

    A blank page is left alone (nothing to read, no OCR time). With OCR off (no settings,
    or ``enabled: false``) or not installed, pages stay as they are, unless no page has
    any text: then NO_TEXT_LAYER says how to get OCR."""
    missing = [page.number for page in pages if not page.lines]
    if not missing or settings is None or not settings.enabled:
        return pages
    drawn = set(pages_with_content(data, missing))
    if not drawn or (not engine_installed() and len(missing) < len(pages)):
        return pages  # the text pages serve; an engine-less blank back page is no error
    return [ocr_page(data, path, page, settings, limits) if page.number in drawn else page
            for page in pages]


def ocr_page(data: bytes, path: Path, page: Page, settings: OcrSettings,
             limits: InputLimits | None) -> Page:
    """One page's lines read through OCR."""
    words = ocr_page_words(data, path, page.number - 1, settings, limits)
    return group_lines(page.number, page.width, page.height, words)


def pages_with_content(data: bytes, numbers: list[int]) -> list[int]:
    """Which of these pages (numbered from 1) draw anything at all: an image, a path."""
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            return [number for number in numbers
                    if next(iter(document[number - 1].get_objects()), None) is not None]
        finally:
            document.close()


def ocr_page_words(data: bytes, path: Path, index: int, settings: OcrSettings,
                   limits: InputLimits | None = None) -> list[dict[str, Any]]:
    """The OCR words of one page (``index`` from 0) as word dicts in points, with confidence."""
    require_engine(path, settings)
    scale = settings.dpi / POINTS_PER_INCH
    image = render_page(data, path, index, scale, limits or InputLimits())
    return tesseract_words(image, path, settings, scale)


def render_page(data: bytes, path: Path, index: int, scale: float,
                limits: InputLimits) -> bytes:
    """The page as PNG bytes at ``scale`` pixels per point, refused above the pixel limit."""
    with PDFIUM_LOCK:  # PDFium is not thread-safe; Tesseract then runs outside the lock
        document = pdfium.PdfDocument(data)
        try:
            page = document[index]
            width, height = page.get_size()
            check_image(path, round(width * scale), round(height * scale), limits)
            image = page.render(scale=scale, grayscale=True).to_pil()
        finally:
            document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def tesseract_words(png: bytes, path: Path, settings: OcrSettings,
                    scale: float) -> list[dict[str, Any]]:
    """Run Tesseract on one page image and read its TSV into word dicts."""
    command = ["tesseract", "stdin", "stdout", "-l", "+".join(settings.languages), "tsv"]
    # one thread per page: items already run side by side, and Tesseract's OpenMP threads
    # fought them on a busy machine (bench.ocr_speed: 1.9 against 2.3 s/page at load 5)
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    try:
        done = subprocess.run(command, input=png, capture_output=True, env=env,
                              timeout=settings.timeout_s, check=False)
    except subprocess.TimeoutExpired:
        raise ApplicationError(f"{path.name}: OCR of a page took longer than "
                               f"{settings.timeout_s:g} s; raise ocr.timeout_s or key it by hand",
                               code="OCR_FAILED", file=str(path)) from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip()[-300:]
        raise ApplicationError(f"{path.name}: the OCR engine failed ({why}); check "
                               "ocr.languages are installed", code="OCR_FAILED", file=str(path))
    return parse_tsv(done.stdout.decode("utf-8", "replace"), scale)


def parse_tsv(tsv: str, scale: float) -> list[dict[str, Any]]:
    """Tesseract's TSV word rows as word dicts: box in points, confidence 0 to 1."""
    rows = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [word_dict(row, scale) for row in rows
            if row.get("level") == TSV_WORD_LEVEL and (row.get("text") or "").strip()]


def word_dict(row: dict[str, str], scale: float) -> dict[str, Any]:
    """One TSV word row as a word dict (pixels to points; Tesseract's 0-100 to 0-1)."""
    left, top = float(row["left"]) / scale, float(row["top"]) / scale
    width, height = float(row["width"]) / scale, float(row["height"]) / scale
    confidence = max(0.0, min(1.0, float(row["conf"]) / 100))
    return {"text": row["text"].strip(), "x0": left, "top": top, "x1": left + width,
            "bottom": top + height, "confidence": round(confidence, 3)}


def require_engine(path: Path, settings: OcrSettings) -> None:
    """Stop with NO_TEXT_LAYER, saying how to install it, when OCR cannot run here."""
    if not engine_installed():
        raise BusinessError(f"{path.name}: has no text layer (a scan?) and no OCR engine is "
                            f"installed; {INSTALL_HINT}, or key it by hand",
                            code="NO_TEXT_LAYER", file=str(path))
    missing = [lang for lang in settings.languages if lang not in installed_languages()]
    if missing:
        raise BusinessError(f"{path.name}: has no text layer and the OCR languages "
                            f"{', '.join(missing)} (ocr.languages) are not installed; install "
                            + " ".join(f"tesseract-ocr-{lang}" for lang in missing)
                            + " or change ocr.languages", code="NO_TEXT_LAYER",
                            file=str(path), missing_languages=missing)


def engine_installed() -> bool:
    """Whether the `tesseract` program is on the PATH."""
    return shutil.which("tesseract") is not None


@functools.cache
def installed_languages() -> frozenset[str]:
    """The language codes Tesseract has trained data for (asked once per process)."""
    done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, timeout=30,
                          check=False)
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())
