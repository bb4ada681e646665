"""How fast the toolkit reads PDFs: its words and lines against raw pypdfium2 text, and one
form field of a large AcroForm with the text layer left unread.

    .venv/bin/python -m bench.pdf_speed                 # about 30 s on 2 cores
    .venv/bin/python -m bench.pdf_speed --repeat 1 --out /tmp/pdf_speed.json

Sets: the fixture claims and orders that open, a generated 30-page text document, a
generated 30-page AcroForm with 500 fields and text on every page. Per set and reader it
prints pages/s and documents/s (by CPU time, best of ``--repeat`` passes taken in turn: the
machine is shared) and the ratio to raw pypdfium2 text (open, each page's text page,
``get_text_range``). Readers:

- ``raw``: pypdfium2's own text, no positions (the yardstick);
- ``words``: bots.pdf.words alone (PDFium text -> words with boxes), no lines;
- ``ours``: bots.pdf.document's pages: those words grouped into lines (bots.pdf.lines), what
  the rules read;
- ``pdfplumber``: ``extract_words`` of every page, the reader the toolkit used before;
- ``form field``: ``load_document`` and one field by name, as a form-only rule reads it
  (safety checks, pypdf form reading; the text layer is not parsed);
- ``form + text``: the same, then every page's lines (what the field cost when text was
  parsed eagerly);
- ``form, before``: what one field cost before: the form read with pypdf and every page's
  words with pdfplumber, as load_document did.

Results and every sample go to ``state/bench/pdf_speed.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
from pypdf import PdfReader

from bots.pdf.document import load_document, read_pages
from bots.pdf.form import read_form
from bots.pdf.limits import InputLimits
from bots.pdf.words import page_words

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "state" / "bench" / "pdf_speed.json"
LIMITS = InputLimits()
FORM_FIELDS, FORM_PAGES = 500, 30
PER_PAGE = -(-FORM_FIELDS // FORM_PAGES)
FIELD = f"section{250 // PER_PAGE}.field0250"  # a field half-way through the generated form


def fixture_files() -> list[Path]:
    """The fixture claims and orders that are readable PDFs."""
    files = sorted((ROOT / "fixtures" / "claims").glob("*.pdf"))
    files += sorted((ROOT / "fixtures" / "orders" / "inbox").glob("*.pdf"))
    return [path for path in files if opens(path)]


def opens(path: Path) -> bool:
    """Whether PDFium opens the file and it has text (the bad fixtures are skipped)."""
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        return False
    try:
        return any(page.get_textpage().count_chars() for page in document)
    finally:
        document.close()


def text_document(path: Path, pages: int = 30) -> Path:
    """A long document: 45 lines of words and numbers on each page."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), invariant=True)
    for page in range(pages):
        canvas.setFont("Helvetica", 9)
        for line in range(45):
            canvas.drawString(50, 800 - 17 * line, f"Line {line + 1} of page {page + 1}: "
                              f"item SKU-{page:02d}{line:03d} qty {line % 7 + 1} price "
                              f"{(line * 13.7 + page):.2f} EUR delivered to warehouse B")
        canvas.showPage()
    canvas.save()
    return path


def large_form(path: Path, fields: int = FORM_FIELDS, pages: int = FORM_PAGES) -> Path:
    """A 30-page AcroForm with 500 named text fields and a printed label beside each, plus
    body text on every page (names nested as section<page>.field<n>)."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), invariant=True)
    per_page = -(-fields // pages)  # FIELD's page assumes the default sizes
    for page in range(pages):
        canvas.setFont("Helvetica", 9)
        canvas.drawString(50, 810, f"Large form LF-500, section {page + 1}")
        for slot in range(per_page):
            number = page * per_page + slot
            if number >= fields:
                break
            y = 780 - 44 * slot
            canvas.drawString(50, y + 4, f"Question {number}: describe item {number}")
            canvas.drawString(50, y - 8, "Answer in the box on the right, in capitals.")
            canvas.acroForm.textfield(name=f"section{page}.field{number:04d}",
                                      value=f"VALUE-{number}", x=320, y=y - 10, width=200,
                                      height=16)
        canvas.showPage()
    canvas.save()
    return path


def raw_text(data: bytes) -> int:
    """pypdfium2's own text of every page; returns the page count."""
    document = pdfium.PdfDocument(data)
    try:
        for page in document:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        return len(document)
    finally:
        document.close()


def our_words(data: bytes) -> int:
    """The toolkit's words with boxes for every page, not yet grouped; the page count."""
    document = pdfium.PdfDocument(data)
    try:
        for page in document:
            page_words(page)
            page.close()
        return len(document)
    finally:
        document.close()


def our_lines(data: bytes) -> int:
    """The toolkit's lines with word boxes for every page; returns the page count."""
    return len(read_pages(data, Path("bench.pdf"), 10_000))


def plumber_words(data: bytes) -> int:
    """pdfplumber's words of every page; returns the page count."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_words()
        return len(pdf.pages)


def one_field(path: Path, name: str) -> int:
    """A form-only rule's cost: load the document and read one field (text left unread)."""
    document = load_document(path, 10_000, LIMITS)
    if document.form.field(name) is None or document.pages_read:
        raise AssertionError(f"{path.name}: no field {name}, or its text layer was parsed")
    return 1


def field_and_text(path: Path, name: str) -> int:
    """The same field, and then every page's lines (the eager reading of before)."""
    document = load_document(path, 10_000, LIMITS)
    if document.form.field(name) is None:
        raise AssertionError(f"{path.name}: no field {name}")
    return len(document.pages)


def form_before(data: bytes) -> int:
    """The eager reading of before: pypdf's form fields, then pdfplumber's words."""
    read_form(PdfReader(io.BytesIO(data)))
    return plumber_words(data)


def timed(readers: dict[str, Callable[[], int]], repeat: int) -> dict[str, dict[str, Any]]:
    """Each reader's best CPU seconds over ``repeat`` passes, taken in turn (A B C A B C) so
    that a machine growing busier weighs on all alike; wall seconds kept beside them. CPU time
    is what a shared machine disturbs least: another process's load does not count in it."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in readers}
    pages: dict[str, int] = {}
    for _ in range(repeat):
        for name, work in readers.items():
            cpu, wall = time.process_time(), time.perf_counter()
            pages[name] = work()
            samples[name].append((time.process_time() - cpu, time.perf_counter() - wall))
    return {name: {"best_s": max(min(cpu for cpu, _ in taken), 1e-6),
                   "best_wall_s": min(wall for _, wall in taken),
                   "samples_cpu_wall_s": taken, "pages": pages[name]}
            for name, taken in samples.items()}


def measure_set(files: list[Path], repeat: int, field: str | None = None) -> dict[str, Any]:
    """Every reader over one set of files (and, for forms, reading ``field``): seconds,
    pages/s, documents/s and the ratio to raw pypdfium2 text."""
    datas = [path.read_bytes() for path in files]
    readers: dict[str, Callable[[], int]] = {
        "raw": lambda: sum(raw_text(data) for data in datas),
        "words": lambda: sum(our_words(data) for data in datas),
        "ours": lambda: sum(our_lines(data) for data in datas),
        "pdfplumber": lambda: sum(plumber_words(data) for data in datas)}
    if field:
        readers["form field"] = lambda: sum(one_field(path, field) for path in files)
        readers["form + text"] = lambda: sum(field_and_text(path, field) for path in files)
        readers["form, before"] = lambda: sum(form_before(data) for data in datas)
    results = timed(readers, repeat)
    pages = results["raw"]["pages"]
    for result in results.values():
        result["pages_per_s"] = pages / result["best_s"]
        result["documents_per_s"] = len(files) / result["best_s"]
        result["ratio_to_raw"] = result["best_s"] / results["raw"]["best_s"]
    return {"documents": len(files), "pages": pages, "readers": results}


def render(results: dict[str, Any]) -> str:
    """The table: one row per set and reader."""
    rows = [f"{'set':<14} {'reader':<12} {'pages/s':>9} {'docs/s':>9} {'x raw':>7}"]
    for name, found in results["sets"].items():
        for reader, result in found["readers"].items():
            rows.append(f"{name:<14} {reader:<12} {result['pages_per_s']:>9.1f} "
                        f"{result['documents_per_s']:>9.2f} {result['ratio_to_raw']:>7.2f}")
    return "\n".join(rows)


def run(sets: dict[str, tuple[list[Path], str | None]], repeat: int,
        out: Path) -> dict[str, Any]:
    """Measure every set (files, and the form field to read or None), print the table,
    write the JSON."""
    results = {"repeat": repeat, "sets": {name: measure_set(files, repeat, field)
                                          for name, (files, field) in sets.items() if files}}
    print(render(results))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"results: {out}")
    return results


def main(argv: list[str] | None = None) -> int:
    """Generate the large samples in a temporary folder and measure every set."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes per reader (best kept)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        long = text_document(Path(folder) / "long-30.pdf")
        form = large_form(Path(folder) / "form-500.pdf")
        run({"fixtures": (fixture_files(), None), "30-page text": ([long], None),
             "500-field form": ([form], FIELD)}, args.repeat, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
