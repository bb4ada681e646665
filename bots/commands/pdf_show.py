"""`pdf show FILE`: a document as the extraction rules see it, for people writing rules.

The rules read lines in reading order (bots/pdf/lines.py), each word with its box in points
from the page's top-left corner, and the AcroForm fields by name. This command prints exactly
that, from the same ``load_document`` a run uses, so that what an author sees here is what a
`label:` or `form_field:` rule will meet. A file a run would refuse is refused here with the
same one-line message (exit 2).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from bots.commands.common import fail, print_json, say
from bots.commands.pdf_form import form_data, form_text
from bots.commands.pdf_xml import embedded_invoice, xml_text
from bots.kernel.errors import BotError
from bots.pdf.document import Document, load_document
from bots.pdf.limits import InputLimits
from bots.pdf.lines import Line, Page, Word
from bots.pdf.ocr import OcrSettings

EXIT_OK, EXIT_BAD_FILE = 0, 2
COLUMN_GAP = 24.0  # the rules' default `max_gap`: a wider gap starts another column


def show_pdf(file: str, *, page: int | None = None, as_json: bool = False,
             png: str | None = None, ocr: str | None = None) -> int:
    """Print a PDF's lines, words, form fields (and embedded invoice); draw a page if asked.

    With `ocr` (Tesseract languages, e.g. 'eng,deu'), pages without a text layer are read
    through OCR as a step with `ocr: {languages: [...]}` reads them, each word's confidence
    shown."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are not the author's
    try:
        document = load_document(Path(file), InputLimits().max_pages, ocr=ocr_settings(ocr))
        pages = pick_pages(document, page)
        if png:
            from bots.commands.pdf_png import draw_page

            draw_page(document, pages[0].number, Path(png))
    except BotError as error:
        hint = ("; `pdf show FILE --ocr` shows what OCR reads"
                if error.code == "NO_TEXT_LAYER" and ocr is None else "")
        fail(error.message + hint)
        return EXIT_BAD_FILE
    data = describe(document, pages)
    if as_json:
        print_json(data)
    else:
        say(as_text(data))
    if png:
        say(f"drew page {pages[0].number} with its word boxes and line numbers to {png}",
            err=True)
    return EXIT_OK


def ocr_settings(languages: str | None) -> OcrSettings | None:
    """The OCR settings for `--ocr eng,deu`; None without the option."""
    if languages is None:
        return None
    return OcrSettings.model_validate(
        {"languages": [code.strip() for code in languages.replace("+", ",").split(",")
                       if code.strip()] or ["eng"]})


def pick_pages(document: Document, number: int | None) -> list[Page]:
    """Every page, or only page `number` (1 is the first, -1 the last)."""
    if number is None:
        return document.pages
    count = len(document.pages)
    index = number - 1 if number > 0 else count + number
    if not 0 <= index < count:
        raise BotError(f"{document.path.name}: no page {number}; it has {count} page(s)",
                       code="FIELD_INVALID")
    return [document.pages[index]]


def describe(document: Document, pages: list[Page]) -> dict[str, Any]:
    """The document as plain data: pages with numbered lines and words, form fields."""
    data: dict[str, Any] = {
        "file": str(document.path), "page_count": len(document.pages),
        "pages": [page_data(page) for page in pages],
        "form_fields": form_data(document)}
    invoice = embedded_invoice(document)
    if invoice is not None:
        data["einvoice"] = invoice
    return data


def page_data(page: Page) -> dict[str, Any]:
    """One page: its size and its lines, numbered from 1 in reading order."""
    return {"number": page.number, "width": round(page.width, 1),
            "height": round(page.height, 1),
            "lines": [line_data(index, line) for index, line in enumerate(page.lines, 1)]}


def line_data(index: int, line: Line) -> dict[str, Any]:
    return {"line": index, "text": line.text, "top": round(line.top, 1),
            "words": [word_data(word) for word in line.words]}


def word_data(word: Word) -> dict[str, Any]:
    """A word's text and box; its OCR confidence when the reader gave one."""
    data: dict[str, Any] = {"text": word.text, "x0": round(word.x0, 1),
                            "top": round(word.top, 1), "x1": round(word.x1, 1),
                            "bottom": round(word.bottom, 1)}
    confidence = getattr(word, "confidence", None)
    if confidence is not None:
        data["confidence"] = confidence
    return data


def as_text(data: dict[str, Any]) -> str:
    """The description for people: each line's text, then its words at their x positions."""
    out = [f"{data['file']}: {data['page_count']} page(s). Positions in points from the "
           "page's top-left corner; ' | ' marks a gap wider than 24 pt (a new column)."]
    for page in data["pages"]:
        out.append(f"\n== page {page['number']} ({page['width']} x {page['height']} pt), "
                   f"{len(page['lines'])} line(s)")
        out += [text_line(line) for line in page["lines"]]
    out += form_text(data["form_fields"])
    if "einvoice" in data:
        out += xml_text(data["einvoice"])
    return "\n".join(out)


def text_line(line: dict[str, Any]) -> str:
    """A line's number, top and text; its words' x; the spans of its columns, when several."""
    runs = column_runs(line["words"])
    text = " | ".join(" ".join(word["text"] for word in run) for run in runs)
    positions = "  ".join(f"{word['x0']} {word['text']}" + confidence_mark(word)
                          for word in line["words"])
    out = f"L{line['line']:<3} top {line['top']:<7} {text}\n      x {positions}"
    if len(runs) > 1:
        out += "\n      columns " + " | ".join(f"{run[0]['x0']}-{run[-1]['x1']}"
                                               for run in runs)
    return out


def column_runs(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The words cut where the gap is wider than the rules' default max_gap."""
    runs = [[words[0]]]
    for before, word in zip(words, words[1:], strict=False):
        if word["x0"] - before["x1"] > COLUMN_GAP:
            runs.append([])
        runs[-1].append(word)
    return runs


def confidence_mark(word: dict[str, Any]) -> str:
    """' (0.91)' after an OCR word; nothing after a word of the text layer (always sure)."""
    confidence = word.get("confidence")
    return f" ({confidence:.2f})" if confidence is not None and confidence < 1 else ""
