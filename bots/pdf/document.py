"""Open a claim PDF safely: check what the file is, then read its form fields and, when a
rule first asks for them, its words.

Every way a file can be unusable becomes a ``BusinessError`` with its stable code here, at the
edge where PDFium's and pypdf's exceptions still have a meaning: missing, empty, not a PDF,
password-protected, damaged, far too long, or a scan without a text layer. What a file may
cost (size, pages, inflated bytes, image pixels: bots/pdf/limits.py) is checked before the
parsers see it: the size from the directory entry, the streams by bots/pdf/streams.py.
The text layer is parsed on first use of ``Document.pages`` (bots/pdf/words.py): rules that
read only form fields never pay for it (a 30-page form: seconds). Text and form values leave
here cleaned of control and invisible characters (``bots.normalize.clean_text``).
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from pypdf import PdfReader

from bots.kernel.errors import BusinessError
from bots.pdf.drawing import Drawings
from bots.pdf.einvoice_file import EmbeddedXml, find_embedded_xml
from bots.pdf.form import Form, read_form
from bots.pdf.limits import InputLimits, check_file_size, check_page_count
from bots.pdf.lines import Page, page_lines
from bots.pdf.ocr import OcrSettings, with_ocr
from bots.pdf.streams import check_streams
from bots.pdf.words import PDFIUM_LOCK, collector_paused, page_size, page_words

PDF_MAGIC = b"%PDF-"
SNIFF_BYTES = 1024  # the PDF spec lets the header start anywhere in the first 1024 bytes
KNOWN_TYPES = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"PK\x03\x04":
               "a ZIP/Office file", b"GIF8": "a GIF image", b"II*\x00": "a TIFF image",
               b"MM\x00*": "a TIFF image", b"{\\rtf": "an RTF document",
               b"\xd0\xcf\x11\xe0": "an old Office (OLE2) file"}
HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")


class Document:
    """What extraction reads: the lines of text per page (parsed on first use) and the form.

    ``pages`` is a list, or a function that reads it when a rule first needs text.
    """

    def __init__(self, path: Path, pages: list[Page] | Callable[[], list[Page]],
                 form: Form | None = None) -> None:
        self.path = path
        self._pages = pages if isinstance(pages, list) else None
        self._read = pages if callable(pages) else None
        self.form = form if form is not None else Form(path, [])
        # the Factur-X / ZUGFeRD / Order-X XML the PDF carries, if any (bots/pdf/einvoice*.py)
        self.embedded_xml: EmbeddedXml | None = None
        # the drawn checkboxes of each page, read when a `boxes` rule asks (bots/pdf/drawing.py)
        self.drawings: Drawings | None = None

    @property
    def pages(self) -> list[Page]:
        """The text lines of every page, top to bottom (the text layer is parsed now if not
        yet)."""
        if self._pages is None:
            assert self._read is not None
            self._pages = self._read()
        return self._pages

    @property
    def pages_read(self) -> bool:
        """Whether the text layer has been parsed (form-field-only rules leave it unread)."""
        return self._pages is not None

    @property
    def text(self) -> str:
        """All text, one line per line, for recognizing the layout."""
        return "\n".join(line.text for page in self.pages for line in page.lines)


def load_document(path: Path, max_pages: int = 50, limits: InputLimits | None = None,
                  ocr: OcrSettings | None = None) -> Document:
    """Read a PDF's form fields (its words when first asked for), or raise the BusinessError
    that says why not.

    A document of more than ``max_pages`` pages is refused (DOCUMENT_TOO_LONG) from its page
    count alone, before any page is parsed: a claim form is short, and reading thousands of
    pages would hold a worker for minutes to find nothing. Beyond ``limits`` (default: the
    recipe defaults) it is FILE_TOO_LARGE, TOO_MANY_PAGES, CONTENT_TOO_LARGE or IMAGE_TOO_LARGE.
    With ``ocr`` settings, pages without a text layer are read through OCR (bots/pdf/ocr.py).
    """
    limits = limits or InputLimits()
    data = read_pdf_bytes(path, limits)
    check_streams(data, path, limits)  # before pypdf or PDFium inflates anything
    reader = open_reader(data, path, max_pages, limits)
    document = Document(path, lambda: with_ocr(read_pages(data, path, max_pages), data, path,
                                               ocr, limits), form_of(reader, path))
    document.embedded_xml = find_embedded_xml(reader)
    document.drawings = Drawings(data)
    check_text_layer(document)
    return document


def check_text_layer(document: Document) -> None:
    """NO_TEXT_LAYER for a document with neither words nor a filled-in form field. A filled
    form is content enough: its text layer is then left for the rules to ask for."""
    if any(field.is_on for field in document.form):
        return
    if not any(page.lines for page in document.pages):
        raise fail(document.path, "NO_TEXT_LAYER", "has no text layer and no form fields "
                   "(a scan?); key it by hand, or read scans through OCR with the step's "
                   "`ocr:` key, e.g. ocr: {languages: [eng]}")


def fail(path: Path, code: str, what: str, **details: Any) -> BusinessError:
    """A BusinessError whose message starts with the file's name."""
    return BusinessError(f"{path.name}: {what}", code=code, file=str(path), **details)


def read_pdf_bytes(path: Path, limits: InputLimits) -> bytes:
    """The file's bytes, once it is known to exist, to be small enough (by its size on disk,
    before reading), to be non-empty and to start like a PDF."""
    if not path.is_file():
        raise fail(path, "FILE_MISSING", f"file not found at {path}; it may have been moved "
                   "or deleted before the bot read it")
    check_file_size(path, limits)
    data = path.read_bytes()
    if not data:
        raise fail(path, "EMPTY_FILE", "the file is empty (0 bytes); ask the sender again")
    if PDF_MAGIC not in data[:SNIFF_BYTES]:
        raise fail(path, "NOT_A_PDF", f"the file is {sniff_type(data)}, not a PDF (no %PDF- "
                   "header); ask the sender for the claim as a PDF")
    return data


def sniff_type(data: bytes) -> str:
    """What a non-PDF file probably is, for the message: 'a PNG image', 'plain text'."""
    known = next((name for magic, name in KNOWN_TYPES.items() if data.startswith(magic)), None)
    if known:
        return known
    if data.lstrip()[:20].lower().startswith(HTML_STARTS):
        return "an HTML page"
    try:  # an incremental decoder tolerates a character cut at the sniffing limit
        codecs.getincrementaldecoder("utf-8")().decode(data[:SNIFF_BYTES])
    except UnicodeDecodeError:
        return "of an unknown type"
    return "plain text"


def open_reader(data: bytes, path: Path, max_pages: int, limits: InputLimits) -> PdfReader:
    """A pypdf reader of a short enough PDF, unlocked when it has an empty user password."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        locked = reader.is_encrypted and not opens_without_password(reader)
    except Exception as error:  # pypdf raises many kinds (PdfReadError, KeyError...) on damage
        raise damaged(path, error) from error
    if locked:
        raise fail(path, "ENCRYPTED_PDF", "the PDF is password-protected; ask the sender for "
                   "a copy without a password")
    check_length(reader, path, max_pages, limits)
    try:
        pages = len(reader.pages)  # a damaged page tree fails here rather than later
    except Exception as error:
        raise damaged(path, error) from error
    check_pages(path, pages, max_pages, limits)  # the pages there are, whatever /Count said
    return reader


def check_length(reader: PdfReader, path: Path, max_pages: int, limits: InputLimits) -> None:
    """Refuse a document longer than the limits or ``max_pages``, by the tree's /Count."""
    try:  # /Count is one number in the page tree's root: no page is read to learn it
        tree: Any = reader.root_object["/Pages"]
        count = int(tree["/Count"])
    except Exception:  # a missing or odd /Count: the page tree check below decides
        return
    check_pages(path, count, max_pages, limits)


def check_pages(path: Path, pages: int, max_pages: int, limits: InputLimits) -> None:
    """DOCUMENT_TOO_LONG past the step's ``max_pages`` (its rule for this kind of form speaks
    first), else TOO_MANY_PAGES past the recipe's limits."""
    if pages > max_pages:
        raise fail(path, "DOCUMENT_TOO_LONG", f"the PDF has {pages} pages, more than the "
                   f"{max_pages} a document of this kind may have; check it is the right "
                   "file, or raise max_pages in the recipe", pages=pages, max_pages=max_pages)
    check_page_count(path, pages, limits)


def opens_without_password(reader: PdfReader) -> bool:
    """Whether an encrypted PDF opens with the empty user password (owner-only protection)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an unsupported cipher is as locked as an unknown password
        return False


def damaged(path: Path, error: Exception) -> BusinessError:
    """The CORRUPT_PDF error for a parser failure."""
    return fail(path, "CORRUPT_PDF", f"the PDF is damaged and cannot be read "
                f"({type(error).__name__}: {error}); ask the sender for a new copy",
                library_error=f"{type(error).__name__}: {error}")


def read_pages(data: bytes, path: Path, max_pages: int) -> list[Page]:
    """The text lines of the first ``max_pages`` pages, read with PDFium."""
    with PDFIUM_LOCK, collector_paused():
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            raise damaged(path, error) from error
        try:
            return [read_page(pdf, index) for index in range(min(len(pdf), max_pages))]
        except Exception as error:  # a damaged page or content stream
            raise damaged(path, error) from error
        finally:
            pdf.close()


def read_page(pdf: pdfium.PdfDocument, index: int) -> Page:
    """One page's lines from its words (the place where a page without words could be read
    another way, e.g. by OCR)."""
    page = pdf[index]
    try:
        width, height = page_size(page)
        return page_lines(index + 1, width, height, page_words(page))
    finally:
        page.close()


def form_of(reader: PdfReader, path: Path) -> Form:
    """The document's AcroForm fields (CORRUPT_PDF when its annotations are damaged)."""
    try:
        return Form(path, read_form(reader))
    except Exception as error:  # a damaged annotation dictionary
        raise damaged(path, error) from error
