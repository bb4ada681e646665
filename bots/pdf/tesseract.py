"""The Tesseract program: a page image in, words with boxes and confidence out.

Tesseract is called as a program (Debian's `tesseract-ocr`, installed by `runner.py setup`)
with the image as PNG on stdin. Its TSV answer has one row per word: a box in pixels and a
confidence 0-100; here it becomes word dicts in points with ``confidence`` between 0 and 1,
the shape bots/pdf/lines.py groups into lines. Orientation detection (`--psm 0`) is asked
only when a page reads badly, because it costs about twice a page's reading.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from PIL import Image

from bots.kernel.errors import ApplicationError

TSV_WORD_LEVEL = "5"  # Tesseract's TSV rows: 1 page, 2 block, 3 paragraph, 4 line, 5 word
ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.MULTILINE)
SMALLEST = 2.5  # points: the x-height of 6 pt print is about 3
THIN = 0.12  # a printed character is at least this wide for its height ('l', 'i', '1' more)
SURE_MARK = 0.96  # marks alone (| . ' ,) less sure than this are specks of noise
SURE_DASH, DASHES = 0.5, "-–—"  # a dash alone is noise only when the engine all but guessed
KEPT_SYMBOLS = "€$£¥₹%&#@§+=<>*"  # marks that carry meaning on their own (a currency sign)


def tesseract_words(image: Image.Image, path: Path, languages: list[str], timeout_s: float,
                    scale: float) -> list[dict[str, Any]]:
    """The words Tesseract reads on a page image, in points (``scale`` pixels per point)."""
    done = run(image, ["-l", "+".join(languages), "tsv"], path, timeout_s)
    return parse_tsv(done, scale)


def rotation(image: Image.Image, path: Path, timeout_s: float) -> int:
    """How many degrees clockwise the page must turn to stand upright (0, 90, 180, 270);
    0 when Tesseract cannot tell (too little text)."""
    try:
        answer = run(image, ["--psm", "0"], path, timeout_s)
    except ApplicationError:  # "too few characters" is an exit 1: nothing to turn
        return 0
    found = ROTATE.search(answer)
    return int(found.group(1)) % 360 if found else 0


def run(image: Image.Image, arguments: list[str], path: Path, timeout_s: float) -> str:
    """Tesseract's stdout for one image, or OCR_FAILED saying why."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    # one thread per page: items already run side by side, and Tesseract's OpenMP threads
    # fought them on a busy machine (bench.ocr_speed: 1.9 against 2.3 s/page at load 5)
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    try:
        done = subprocess.run(["tesseract", "stdin", "stdout", *arguments],
                              input=buffer.getvalue(), capture_output=True, env=env,
                              timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        raise ApplicationError(f"{path.name}: OCR of a page took longer than {timeout_s:g} s; "
                               "raise ocr.timeout_s or key it by hand", code="OCR_FAILED",
                               file=str(path)) from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip()[-300:]
        raise ApplicationError(f"{path.name}: the OCR engine failed ({why}); check "
                               "ocr.languages are installed", code="OCR_FAILED", file=str(path))
    return done.stdout.decode("utf-8", "replace")


def parse_tsv(tsv: str, scale: float) -> list[dict[str, Any]]:
    """Tesseract's TSV word rows as word dicts: box in points, confidence 0 to 1; specks of
    scanner noise read as marks are left out."""
    rows = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    words = (word_dict(row, scale) for row in rows
             if row.get("level") == TSV_WORD_LEVEL and (row.get("text") or "").strip())
    return [word for word in words if not is_speck(word)]


def is_speck(word: dict[str, Any]) -> bool:
    """Whether an OCR word is scanner noise, not print: a box too small for print ('Du' in
    0.7 by 0.7 pt) or too thin for its letters, or only marks (| . - ' ,) that the engine was
    not sure of. Left in, a speck beside a value became part of it ('Hans-Jörg Müller |')."""
    text, height = str(word["text"]), float(word["bottom"]) - float(word["top"])
    only_marks = not any(char.isalnum() or char in KEPT_SYMBOLS for char in text)
    if only_marks:  # a dash is short and a bar is thin: only how sure the engine was tells
        dash = all(char in DASHES for char in text)  # printed dashes read at about 0.9
        return float(word["confidence"]) < (SURE_DASH if dash else SURE_MARK)
    return height < SMALLEST or float(word["x1"]) - float(word["x0"]) < THIN * height * len(text)


def word_dict(row: dict[str, str], scale: float) -> dict[str, Any]:
    """One TSV word row as a word dict (pixels to points; Tesseract's 0-100 to 0-1)."""
    left, top = float(row["left"]) / scale, float(row["top"]) / scale
    width, height = float(row["width"]) / scale, float(row["height"]) / scale
    confidence = max(0.0, min(1.0, float(row["conf"]) / 100))
    return {"text": row["text"].strip(), "x0": left, "top": top, "x1": left + width,
            "bottom": top + height, "confidence": round(confidence, 3)}


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
