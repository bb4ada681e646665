"""OCR speed and accuracy on a rendered form: Tesseract (what setup installs) against RapidOCR.

    .venv/bin/python -m bench.ocr_speed [--pages 3] [--rapidocr /path/to/venv/bin/python]

A claim form is drawn with reportlab, rendered with pypdfium2 to an image and wrapped in an
image-only PDF (a scan: no text layer). Each engine reads it; the bench prints seconds per
page and how many of the drawn words it read exactly. RapidOCR (rapidocr-onnxruntime) is not a
dependency: give the Python of a venv that has it to compare.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
from reportlab.pdfgen.canvas import Canvas

from bots.pdf.ocr import OcrSettings, ocr_page_words

FORM = [(72, 760, "Harbor Mutual Insurance - Claim form CF-7"),
        (72, 720, "Policy number: HM-448812"), (320, 720, "Date of loss: 14.03.2025"),
        (72, 690, "Claimant: Marguerite Okonkwo-Delacroix"),
        (72, 660, "Amount claimed: 1.278,61 EUR"), (320, 660, "Cause: Wasserschaden"),
        (72, 630, "Adresse: 12 rue de la Paix, 75002 Paris"),
        (72, 600, "Description: burst pipe in the kitchen flooded the floor")]


def form_pdf(lines: Sequence[tuple[float, float, str]], size: float = 11) -> bytes:
    """A one-page text PDF with each (x, y from the bottom, text) drawn in Helvetica."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.setFont("Helvetica", size)
    for x, y, text in lines:
        canvas.drawString(x, y, text)
    canvas.save()
    return buffer.getvalue()


def scan_of(pdf: bytes, dpi: int = 200) -> bytes:
    """An image-only PDF of every page of ``pdf``, rendered at ``dpi`` (no text layer left)."""
    source = pdfium.PdfDocument(pdf)
    images = [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in source]
    source.close()
    out = io.BytesIO()
    images[0].save(out, format="PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def words_right(found: list[str], drawn: Sequence[tuple[float, float, str]]) -> tuple[int, int]:
    """How many drawn words were read exactly (each read word counts once)."""
    pool = list(found)
    right = 0
    wanted = [word for _, _, text in drawn for word in text.split()]
    for word in wanted:
        if word in pool:
            pool.remove(word)
            right += 1
    return right, len(wanted)


def tesseract(scan: bytes, pages: int, settings: OcrSettings) -> tuple[float, list[str]]:
    """Seconds per page and the words of the last page, through bots.pdf.ocr."""
    start = time.perf_counter()
    words: list[str] = []
    for _ in range(pages):
        read, _turned = ocr_page_words(scan, Path("bench.pdf"), 0, settings)
        words = [word["text"] for word in read]
    return (time.perf_counter() - start) / pages, words


RAPID = """
import sys, time, json, io, pypdfium2 as pdfium
from rapidocr_onnxruntime import RapidOCR
engine = RapidOCR()
page = pdfium.PdfDocument(sys.argv[1])[0]
image = page.render(scale=300 / 72, grayscale=False).to_numpy()
engine(image)  # the first call loads the models
start = time.perf_counter()
for _ in range(int(sys.argv[2])):
    result, _ = engine(image)
seconds = (time.perf_counter() - start) / int(sys.argv[2])
print(json.dumps([seconds, [w for box, text, conf in result or [] for w in text.split()]]))
"""


def rapidocr(python: str, scan: bytes, pages: int) -> tuple[float, list[str]]:
    """Seconds per page and words read by RapidOCR, run in the venv that has it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(scan)
        file.flush()
        done = subprocess.run([python, "-c", RAPID, file.name, str(pages)], check=True,
                              capture_output=True, text=True)
    seconds, words = json.loads(done.stdout.strip().splitlines()[-1])
    return float(seconds), list(words)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=3, help="pages read per engine")
    parser.add_argument("--rapidocr", help="a Python that can import rapidocr_onnxruntime")
    args = parser.parse_args(argv)
    scan = scan_of(form_pdf(FORM))
    rows = []
    for languages, dpi in ((["eng"], 300), (["eng"], 200), (["eng", "deu", "fra"], 300)):
        settings = OcrSettings(languages=languages, dpi=dpi)
        name = f"tesseract {'+'.join(languages)} {dpi} dpi"
        rows.append((name, *tesseract(scan, args.pages, settings)))
    if args.rapidocr:
        rows.append(("rapidocr-onnxruntime", *rapidocr(args.rapidocr, scan, args.pages)))
    print(f"{'engine':30} {'s/page':>7} {'words right':>12}")
    for name, seconds, words in rows:
        right, total = words_right(words, FORM)
        print(f"{name:30} {seconds:7.2f} {right:>6}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
