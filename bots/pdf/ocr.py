"""Read pages without a text layer (scans) through OCR: Tesseract's words with their confidence.

A scanned page (no words but something drawn, or a few stamped words over a page-sized image:
bots/pdf/scan_pages.py) is rendered with pypdfium2 at the scan's own resolution (checked
against the image pixel limit first) and read by Tesseract (bots/pdf/tesseract.py); its
words, in points and with a confidence between 0 and 1, make lines like any other page, so
every layout rule works on a scan unchanged. A page that reads
badly is asked its orientation and read again turned upright (a sheet fed upside down or
sideways); its words are then placed on the turned page. Several scanned pages are read side
by side, one Tesseract process per core.

Why Tesseract from Debian over an ONNX OCR wheel (rapidocr-onnxruntime): on the same rendered
form (bench/ocr_speed.py, bench/README.md "OCR") Tesseract 5 read 40 of 40 words right at
0.8 to 2.6 s per page (by the machine's load), RapidOCR 7 of 40 at a similar speed: it
joins a line's Latin words without spaces and gives one box and one confidence per line,
where the rules need words.
Tesseract installs from apt with one small package per language and runs as a program, so no
model files or native wheels are pinned in the venv. Setup installs it (bots/bootstrap.py).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from bots.kernel.errors import BusinessError
from bots.pdf.limits import InputLimits, check_image
from bots.pdf.lines import Page, group_lines
from bots.pdf.ocr_settings import OcrSettings as OcrSettings  # a step's parameters: light
from bots.pdf.scan_cleanup import despeckled
from bots.pdf.scan_pages import joined_words, scanned_pages
from bots.pdf.tesseract import engine_installed as engine_installed  # tests replace it here
from bots.pdf.tesseract import installed_languages, rotation, tesseract_words
from bots.pdf.words import PDFIUM_LOCK

POINTS_PER_INCH = 72.0
LEAST_DPI, MOST_DPI = 200, 300  # a scan is read at its own resolution within these
UNSURE_PAGE = 0.6  # words averaging less than this: the page may lie on its side
SURE_WORD, SURE_WORDS = 0.85, 3  # fewer sure words of 3 letters than this: it may too
INSTALL_HINT = ("install the OCR engine with `python3 runner.py setup` as root, or "
                "`sudo apt-get install tesseract-ocr tesseract-ocr-eng`")
Words = list[dict[str, Any]]


def with_ocr(pages: list[Page], data: bytes, path: Path, settings: OcrSettings | None,
             limits: InputLimits | None = None) -> list[Page]:
    """The pages, each scanned one read through OCR (bots/pdf/scan_pages.py says which).

    A blank page is left alone (nothing to read, no OCR time). With OCR off (no settings,
    or ``enabled: false``) the pages stay as they are; with OCR not installed too, unless no
    page has any text: then NO_TEXT_LAYER says how to get OCR."""
    if settings is None or not settings.enabled:
        return pages
    scans = set(scanned_pages(data, pages))
    if not scans or (not engine_installed() and any(page.lines for page in pages)):
        return pages  # the text pages serve; an engine-less blank back page is no error
    require_engine(path, settings)
    todo = [page for page in pages if page.number in scans]
    check_scan_count(path, len(todo), settings)
    by_number = {page.number: page for page in read_scans(data, path, todo, settings, limits)}
    read = [by_number.get(page.number, page) for page in pages]
    if not any(page.lines for page in read):
        raise BusinessError(f"{path.name}: OCR read no words on its {len(todo)} scanned "
                            "page(s) (blank, too faint, handwritten or too noisy?); key it by "
                            "hand", code="NO_TEXT_LAYER", file=str(path), ocr_pages=len(todo))
    return read


def check_scan_count(path: Path, scans: int, settings: OcrSettings) -> None:
    """TOO_MANY_PAGES before any is read when more pages need OCR than ocr.max_pages."""
    if scans > settings.max_pages:
        raise BusinessError(f"{path.name}: {scans} scanned pages need OCR, more than the "
                            f"{settings.max_pages} the step's ocr.max_pages allows; check it "
                            "is the right file, or raise ocr.max_pages", code="TOO_MANY_PAGES",
                            file=str(path), pages=scans, setting="ocr.max_pages")


def read_scans(data: bytes, path: Path, todo: list[Page], settings: OcrSettings,
               limits: InputLimits | None) -> list[Page]:
    """The scanned pages read, one Tesseract per core. Pages are rendered here, in the
    caller's thread (PDFium is not thread-safe, and a caller may hold its lock), a core's
    worth at a time so that only a few page images are held at once."""
    cores = usable_cores()
    read: list[Page] = []
    with ThreadPoolExecutor(max_workers=min(len(todo), cores)) as pool:
        for start in range(0, len(todo), cores):
            batch = todo[start:start + cores]
            images = [render_page(data, path, page.number - 1, settings.dpi,
                                  limits or InputLimits()) for page in batch]
            read += pool.map(lambda page, image: ocr_page(page, image, path, settings),
                             batch, images)
    return read


def usable_cores() -> int:
    """The cores this process may run on (a container's share, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def ocr_page(page: Page, rendered: tuple[Image.Image, float], path: Path,
             settings: OcrSettings) -> Page:
    """One page's lines read through OCR, with the words its text layer had (a stamp); a page
    turned upright keeps only what OCR read (its text layer is on the sideways page)."""
    image, scale = rendered
    words, turn = read_upright(despeckled(image), scale, path, settings)
    if turn in (90, 270):
        return group_lines(page.number, page.height, page.width, words)
    return group_lines(page.number, page.width, page.height,
                       joined_words(page, words) if turn == 0 else words)


def ocr_page_words(data: bytes, path: Path, index: int, settings: OcrSettings,
                   limits: InputLimits | None = None) -> tuple[Words, int]:
    """The OCR words of one page (``index`` from 0) in points, and the degrees it was turned."""
    require_engine(path, settings)
    image, scale = render_page(data, path, index, settings.dpi, limits or InputLimits())
    return read_upright(despeckled(image), scale, path, settings)


def read_upright(image: Image.Image, scale: float, path: Path,
                 settings: OcrSettings) -> tuple[Words, int]:
    """A page image's words; a page that reads badly is asked its orientation and, when it
    lies on its side or upside down, read again turned upright."""
    words = tesseract_words(image, path, settings.languages, settings.timeout_s, scale)
    if not words or reads_upright(words):
        return words, 0
    turn = rotation(image, path, settings.timeout_s)
    if turn == 0:
        return words, 0
    upright = image.rotate(-turn, expand=True)  # PIL turns counter-clockwise
    return tesseract_words(upright, path, settings.languages, settings.timeout_s, scale), turn


def reads_upright(words: Words) -> bool:
    """Whether a page's words look like print read the right way up: on average sure, and
    some of them sure words (a sideways page reads as a few unsure scraps: 'YNA Jo WO}')."""
    mean = sum(float(word["confidence"]) for word in words) / len(words)
    sure = [word for word in words if float(word["confidence"]) >= SURE_WORD
            and sum(char.isalnum() for char in str(word["text"])) >= 3]
    return mean >= UNSURE_PAGE and len(sure) >= SURE_WORDS


def render_page(data: bytes, path: Path, index: int, dpi: int | None,
                limits: InputLimits) -> tuple[Image.Image, float]:
    """The page as a grey image and its pixels per point (``dpi``, else the scan's own within
    200 to 300), refused above the pixel limit."""
    with PDFIUM_LOCK:  # PDFium is not thread-safe; Tesseract then runs outside the lock
        document = pdfium.PdfDocument(data)
        try:
            page = document[index]
            scale = (dpi or scan_dpi(page)) / POINTS_PER_INCH
            width, height = page.get_size()
            check_image(path, round(width * scale), round(height * scale), limits)
            image: Image.Image = page.render(scale=scale, grayscale=True).to_pil()
            return image, scale
        finally:
            document.close()


def scan_dpi(page: pdfium.PdfPage) -> float:
    """The resolution of the page's largest image, kept within 200 to 300 (300 without one)."""
    found = [image.get_px_size()[0] / max((right - left) / POINTS_PER_INCH, 0.01)
             for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])
             for left, _bottom, right, _top in [image.get_bounds()]]
    return min(max(max(found), LEAST_DPI), MOST_DPI) if found else MOST_DPI


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
