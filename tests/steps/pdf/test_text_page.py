"""The fast path of the text layer (bots/pdf/text_page.py, bots/pdf/words.py): PDFium's
functions called without ctypes' argument checks answer as pypdfium2's declared ones do, a
text page outlives the caller's reference to it, and the word loop written out on plain
numbers keeps the general path's words where a hyphen carries a word onto the next line."""

from __future__ import annotations

import ctypes
import gc
import io
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from reportlab.pdfgen.canvas import Canvas

from bots.pdf import words
from bots.pdf.document import load_document
from bots.pdf.lines import Word, group_lines, page_lines
from bots.pdf.text_page import IS_GENERATED, Box, TextPage

ROOT = Path(__file__).resolve().parents[3]
CLAIM = ROOT / "fixtures" / "claims" / "claim-01-acme-water.pdf"


def declared_box(textpage: pdfium.PdfTextPage, index: int) -> tuple[float, ...]:
    """A character's loose box through pypdfium2's declared function."""
    rect = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, index, ctypes.byref(rect))
    return (rect.left, rect.top, rect.right, rect.bottom)


def test_unchecked_calls_answer_as_the_declared_ones_for_every_character() -> None:
    pdf = pdfium.PdfDocument(CLAIM)
    page = pdf[0]
    textpage = page.get_textpage()
    text = TextPage(textpage, 0.0, 0.0)  # no offsets: boxes in PDF space, y negated
    assert text.count > 100
    for index in range(text.count):
        left, top, right, bottom = declared_box(textpage, index)
        assert text.box(index) == (left, -top, right, -bottom)
        assert IS_GENERATED(text.handle, index) == pdfium_c.FPDFText_IsGenerated(
            textpage.raw, index)
    assert any(IS_GENERATED(text.handle, index) == 1 for index in range(text.count))
    textpage.close()
    page.close()
    pdf.close()


def declared_measure(textpage: pdfium.PdfTextPage, top: float, index: int) -> tuple[float, ...]:
    """A character's top and bottom through pypdfium2's declared functions, every call made."""
    x, y, descent = ctypes.c_double(), ctypes.c_double(), ctypes.c_float(0.0)
    pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
    size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
    font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(textpage.raw, index))
    known = bool(font) and pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1000.0),
                                                       ctypes.byref(descent))
    bottom = top - y.value - (descent.value / 1000 if known else -0.2) * size
    return bottom - size, bottom


@pytest.mark.parametrize("name", ["claims/claim-01-acme-water.pdf",
                                  "documents/letter-01.pdf"])
def test_heights_through_lean_calls_and_kept_descents_are_the_declared_ones(name: str) -> None:
    pdf = pdfium.PdfDocument(ROOT / "fixtures" / name)
    page = pdf[0]
    textpage = page.get_textpage()
    text = TextPage(textpage, 0.0, 800.0)
    for index in range(text.count):  # made-up characters too: they have no font
        assert text.measure(index) == declared_measure(textpage, 800.0, index)
    assert len(text.descents) >= 2  # fonts seen, each asked once; None for made-up ones
    textpage.close()
    page.close()
    pdf.close()


def test_a_text_page_keeps_its_pdfium_page_alive() -> None:
    pdf = pdfium.PdfDocument(CLAIM)
    page = pdf[0]
    text = TextPage(page.get_textpage(), 0.0, 0.0)  # nobody else holds the text page
    gc.collect()
    assert text.box(0)[2] > text.box(0)[0] > 0  # a real box, not a closed page's zeros
    page.close()
    pdf.close()


def test_a_word_a_hyphen_carries_onto_the_next_line_is_cut_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    general: list[tuple[int, int]] = []  # the runs that went the general way
    add_pieces = words.add_pieces

    def spied(page: TextPage, found: list[Word], state: tuple[int, Box], start: int,
              stop: int) -> tuple[int, Box]:
        general.append((start, stop))
        return add_pieces(page, found, state, start, stop)

    monkeypatch.setattr(words, "add_pieces", spied)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(50, 700, "Claimant: Okonkwo-")
    canvas.drawString(50, 688, "Adeyemi of Lagos")
    canvas.save()
    path = tmp_path / "wrap.pdf"
    path.write_bytes(buffer.getvalue())
    lines = load_document(path).pages[0].lines
    assert [line.text for line in lines] == ["Claimant: Okonkwo-", "Adeyemi of Lagos"]
    assert lines[1].words[0].x0 == lines[0].words[0].x0 == 50
    assert len(general) == 1  # PDFium ran 'Okonkwo-' and 'Adeyemi' into one run


def test_words_from_dicts_and_words_group_into_the_same_lines() -> None:
    raw = [{"text": "Total:", "x0": 10, "top": 100, "x1": 40, "bottom": 110},
           {"text": "\u200b", "x0": 45, "top": 100, "x1": 46, "bottom": 110},
           {"text": "12.00", "x0": 50, "top": 101, "x1": 80, "bottom": 109},
           {"text": "Policy", "x0": 10, "top": 80, "x1": 40, "bottom": 90}]
    page = group_lines(1, 600, 800, raw)
    assert [line.text for line in page.lines] == ["Policy", "Total: 12.00"]
    assert page.lines[1].words[1] == Word("12.00", 50.0, 101.0, 80.0, 109.0)
    assert page.lines[1].words[1]._replace(confidence=0.5).confidence == 0.5


def test_words_of_one_span_share_a_line_and_words_without_height_do_not() -> None:
    words = [Word("b", 30, 100, 40, 110), Word("a", 10, 100, 20, 110),  # one span: one line
             Word("flat", 10, 200, 30, 200), Word("line", 40, 200, 60, 200)]  # no height
    lines = page_lines(1, 600, 800, words).lines
    assert [line.text for line in lines] == ["a b", "flat", "line"]


def test_the_collector_is_held_off_while_pages_are_read_and_left_as_it_was(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from bots.pdf import document

    seen: list[bool] = []
    real = words.page_words

    def spied(page: pdfium.PdfPage) -> list[Word]:
        seen.append(gc.isenabled())
        return real(page)

    monkeypatch.setattr(document, "page_words", spied)
    data = CLAIM.read_bytes()
    assert gc.isenabled()
    assert document.read_pages(data, CLAIM, 5)[0].lines
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        document.read_pages(data, CLAIM, 5)
        assert not gc.isenabled()  # one that was off stays off
    finally:
        gc.enable()
