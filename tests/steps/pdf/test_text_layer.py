"""The text layer read with PDFium gives the words and lines pdfplumber gave, on every fixture
PDF and on drawn pages with tight and wide gaps; it is parsed only when a rule needs it."""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject, RectangleObject
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from bots.kernel.errors import BusinessError
from bots.pdf.document import Document, load_document
from bots.pdf.lines import Page, group_lines
from tests.steps.pdf.acroforms import FormSpec, write

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = sorted(path for folder in ("claims", "orders/inbox", "documents")
                  for path in (ROOT / "fixtures" / folder).glob("*.pdf"))


def plumber_pages(path: Path) -> list[Page]:
    """The pages as the toolkit read them with pdfplumber before."""
    with pdfplumber.open(path) as pdf:
        return [group_lines(page.page_number, float(page.width), float(page.height),
                            page.extract_words(keep_blank_chars=False)) for page in pdf.pages]


def readable(path: Path) -> Document | None:
    """The document, or None for the fixtures made to be refused (damaged, scans...)."""
    try:
        return load_document(path)
    except BusinessError:
        return None


def words_of(page: Page) -> list[tuple[str, float, float, float, float]]:
    """A page's words with their boxes, in reading order."""
    return [(word.text, word.x0, word.top, word.x1, word.bottom)
            for line in page.lines for word in line.words]


def close(ours: tuple[str, float, float, float, float],
          theirs: tuple[str, float, float, float, float]) -> bool:
    """Same text, tops and bottoms within half a point, sides within one (an embedded font's
    advances drift by up to half a point along a line); the right side may reach further where
    pdfminer gives '€' no width or PDFium leans an oblique font (see bots/pdf/words.py)."""
    reach = 8.0 if "€" in ours[0] else 1.5
    return (ours[0] == theirs[0] and abs(ours[1] - theirs[1]) <= 1.0
            and abs(ours[2] - theirs[2]) <= 0.5 and abs(ours[4] - theirs[4]) <= 0.5
            and -1.0 <= ours[3] - theirs[3] <= reach)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.name)
def test_every_fixture_reads_the_same_words_and_lines_as_pdfplumber(path: Path) -> None:
    document = readable(path)
    if document is None:
        pytest.skip("a fixture made to be refused")
    before = plumber_pages(path)
    assert len(document.pages) == len(before)
    for ours, theirs in zip(document.pages, before, strict=True):
        assert [line.text for line in ours.lines] == [line.text for line in theirs.lines]
        pairs = zip(words_of(ours), words_of(theirs), strict=True)
        assert all(close(mine, old) for mine, old in pairs), path.name
        assert (ours.width, ours.height) == pytest.approx((theirs.width, theirs.height))


def drawn(tmp_path: Path, pieces: list[tuple[float, float, str, float]]) -> Path:
    """A page with text pieces at (x, y from the bottom) in a font size each."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    for x, y, text, size in pieces:
        canvas.setFont("Helvetica", size)
        canvas.drawString(x, y, text)
    canvas.save()
    path = tmp_path / "drawn.pdf"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("gap", [0.5, 1.5, 2.5, 3.5, 6.0, 40.0])
def test_pieces_a_small_gap_apart_are_one_word_as_pdfplumber_reads_them(tmp_path: Path,
                                                                       gap: float) -> None:
    width = stringWidth("xxx", "Helvetica", 18)
    label_end = 100 + stringWidth("ABC", "Helvetica", 10)
    path = drawn(tmp_path, [(100, 700, "ABC", 10), (label_end + gap, 700, "123", 10),
                            (100, 650, "Total:", 12), (150, 651, "1 278.61", 9),
                            (100, 600, "x" * 3, 18), (100 + width, 600, "EUR", 8)])
    ours = load_document(path).pages[0]
    assert [line.text for line in ours.lines] == [
        line.text for line in plumber_pages(path)[0].lines]
    assert ours.lines[0].text == ("ABC123" if gap <= 3 else "ABC 123")


def test_words_of_mixed_sizes_on_one_baseline_share_a_line(tmp_path: Path) -> None:
    path = drawn(tmp_path, [(50, 700, "Policy No.:", 14), (160, 700, "POL-100234", 9)])
    lines = load_document(path).pages[0].lines
    assert [line.text for line in lines] == ["Policy No.: POL-100234"]
    policy = lines[0].words[-1]
    assert policy.bottom - policy.top == pytest.approx(9, abs=0.01)  # one font size high


def test_a_filled_form_is_loaded_without_parsing_its_text(tmp_path: Path) -> None:
    spec = FormSpec(lines=[(50, 780, "Claim form CF-9")], texts={"policy": "POL-1"})
    document = load_document(write(tmp_path, spec))
    assert document.form.field("policy") is not None and not document.pages_read
    assert "Claim form CF-9" in document.text and document.pages_read


def test_a_document_without_a_filled_form_is_checked_for_text_at_once(tmp_path: Path) -> None:
    document = load_document(drawn(tmp_path, [(50, 700, "Hello", 10)]))
    assert document.pages_read
    empty_form = write(tmp_path, FormSpec(boxes={"cb": False}), "blank.pdf")
    with pytest.raises(BusinessError) as raised:
        load_document(empty_form)
    assert raised.value.code == "NO_TEXT_LAYER"


def test_documents_read_in_threads_read_alike() -> None:
    paths = [path for path in FIXTURES if readable(path) is not None][:6]
    expected = {path: load_document(path).text for path in paths}
    seen: dict[Path, Any] = {}

    def read(path: Path) -> None:
        seen[path] = load_document(path).text

    threads = [threading.Thread(target=read, args=(path,)) for path in paths * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == expected


def reshaped(tmp_path: Path, key: str, value: Any) -> Path:
    """A one-page form with text top and bottom, its page dictionary given ``key: value``."""
    source = drawn(tmp_path, [(100, 700, "Policy No.: POL-1", 10), (100, 100, "Bottom text", 10)])
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.pages[0][NameObject(key)] = value
    path = tmp_path / f"{key.strip('/')}.pdf"
    with path.open("wb") as out:
        writer.write(out)
    return path


@pytest.mark.parametrize(("key", "value"), [
    ("/Rotate", NumberObject(90)), ("/Rotate", NumberObject(180)), ("/Rotate", NumberObject(270)),
    ("/CropBox", RectangleObject([50, 50, 500, 800]))])
def test_turned_and_cropped_pages_have_pdfplumbers_frame(tmp_path: Path, key: str,
                                                         value: Any) -> None:
    path = reshaped(tmp_path, key, value)
    ours, theirs = load_document(path).pages[0], plumber_pages(path)[0]
    assert (ours.width, ours.height) == pytest.approx((theirs.width, theirs.height))
    by_place = sorted(words_of(ours), key=lambda word: (round(word[2]), word[1]))
    pairs = zip(by_place, sorted(words_of(theirs), key=lambda word: (round(word[2]), word[1])),
                strict=True)
    for mine, old in pairs:  # pdfplumber spells upside-down words backwards: 'yciloP'
        assert mine[0] in (old[0], old[0][::-1]) and mine[1:] == pytest.approx(old[1:], abs=0.2)


def test_a_media_box_away_from_the_origin_is_measured_from_its_corner(tmp_path: Path) -> None:
    path = reshaped(tmp_path, "/MediaBox", RectangleObject([50, 50, 595, 842]))
    page = load_document(path).pages[0]
    policy = page.lines[0].words[0]
    assert (page.width, page.height) == (545, 792)
    assert (policy.text, policy.x0) == ("Policy", pytest.approx(50))
    assert policy.bottom == pytest.approx(842 - 700 + 0.207 * 10, abs=0.3)  # from the top edge
