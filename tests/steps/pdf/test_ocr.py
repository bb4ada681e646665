"""Scans: pages without a text layer are read by OCR through the normal step, their words'
confidence decides what is keyed, and without OCR a scan is still NO_TEXT_LAYER."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageFilter
from pypdf import PdfReader, PdfWriter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from bench.ocr_speed import form_pdf
from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import BusinessError
from bots.pdf import ocr
from bots.pdf.limits import InputLimits
from bots.pdf.scan_cleanup import despeckled
from bots.pdf.tesseract import parse_tsv
from bots.steps.pdf.extract_fields import Params, extract_fields

pytestmark = pytest.mark.skipif(not ocr.engine_installed(), reason="Tesseract not installed "
                                "(python3 runner.py setup installs it)")
DPI = 200  # fast enough, and what a scanner sends for forms
FORM = [(72, 760, "Harbor Mutual Insurance - Claim form CF-7"),
        (72, 720, "Policy number: HM-448812"), (320, 720, "Date of loss: 14.03.2025"),
        (72, 690, "Claimant: Marguerite Okonkwo"),
        (72, 660, "Amount claimed: 1.278,61 EUR")]
FIELDS: dict[str, Any] = {
    "policy": {"label": "Policy number:"},
    "loss_date": {"label": "Date of loss:", "type": "date", "dayfirst": True},
    "claimant": {"label": "Claimant:"},
    "amount": {"label": "Amount claimed:", "type": "amount", "decimal": ","},
}
POLICY_BOX = (150, 842 - 733, 260, 842 - 716)  # the policy number, in points from the top


def image_of(pdf: bytes, blur: tuple[float, float, float, float] | None = None) -> Image.Image:
    """A page rendered as a scanner would send it, optionally with one area smudged."""
    image = pdfium.PdfDocument(pdf)[0].render(scale=DPI / 72, grayscale=True).to_pil()
    if blur:
        box = tuple(int(value * DPI / 72) for value in blur)
        image.paste(image.crop(box).filter(ImageFilter.GaussianBlur(2.0)), box)
    return image


def image_pdf(*images: Image.Image) -> bytes:
    """An image-only PDF: one scanned picture per page, no text layer at all."""
    out = io.BytesIO()
    images[0].save(out, format="PDF", resolution=DPI, save_all=True,
                   append_images=list(images[1:]))
    return out.getvalue()


def run(tmp_path: Path, content: bytes, fields: dict[str, Any] | None = None,
        **params: Any) -> dict[str, Any]:
    path = tmp_path / "scan.pdf"
    path.write_bytes(content)
    layout = {"name": "harbor", "when": "Harbor Mutual", "fields": fields or FIELDS}
    checked = Params.model_validate({"path": str(path), "layouts": [layout], **params})
    context = StepContext(run_id="t", item=WorkItem(key="k", name=path.name), step_id="claim")
    return extract_fields.function(checked, context)


def failure(tmp_path: Path, content: bytes, **params: Any) -> BusinessError:
    with pytest.raises(BusinessError) as raised:
        run(tmp_path, content, **params)
    return raised.value


@pytest.fixture(scope="module")
def scan() -> bytes:
    return image_pdf(image_of(form_pdf(FORM)))


def test_a_scan_is_read_through_ocr_by_the_layouts_rules(tmp_path: Path, scan: bytes) -> None:
    result = run(tmp_path, scan, ocr={"dpi": 300})
    assert {key: result[key] for key in FIELDS} == {
        "policy": "HM-448812", "loss_date": "2025-03-14", "claimant": "Marguerite Okonkwo",
        "amount": "1278.61"}
    assert result["currency"] == "EUR"
    x0, top, x1, bottom = result["_provenance"]["policy"]["box"]
    assert result["_provenance"]["policy"]["page"] == 1
    assert 140 <= x0 < x1 <= 240 and 105 <= top < bottom <= 130  # OCR boxes are in points
    assert all(entry["score"] >= 0.8 for entry in result["_confidence"].values())


def test_a_smudged_value_goes_to_review_not_keyed(tmp_path: Path) -> None:
    smudged = image_pdf(image_of(form_pdf(FORM), blur=POLICY_BOX))
    error = failure(tmp_path, smudged, ocr={"dpi": 300})
    assert error.code == "LOW_CONFIDENCE"
    assert [problem["field"] for problem in error.details["problems"]] == ["policy"]
    assert "OCR read" in error.message
    assert error.details["partial"]["amount"] == "1278.61"  # the rest is kept for the reviewer


@pytest.mark.parametrize(("degrees", "ocr_settings"), [(180, {}), (90, {"dpi": 200})])
def test_a_sheet_fed_upside_down_or_sideways_is_read_upright(
        tmp_path: Path, degrees: int, ocr_settings: dict[str, Any]) -> None:
    turned = image_pdf(image_of(form_pdf(FORM)).rotate(degrees, expand=True))
    result = run(tmp_path, turned, ocr=ocr_settings, fields={"policy": FIELDS["policy"],
                                                             "amount": FIELDS["amount"]})
    assert (result["policy"], result["amount"]) == ("HM-448812", "1278.61")


def speckled(image: Image.Image, share: float, seed: int = 7) -> Image.Image:
    """The image with salt-and-pepper dots on ``share`` of its pixels (a dusty scanner)."""
    noisy = image.copy()
    pixels, dots = noisy.load(), random.Random(seed)
    assert pixels is not None
    for _ in range(int(noisy.width * noisy.height * share)):
        xy = (dots.randrange(noisy.width), dots.randrange(noisy.height))
        pixels[xy] = 0 if dots.random() < 0.5 else 255
    return noisy


def test_a_speckled_scan_is_cleaned_before_it_is_read(tmp_path: Path) -> None:
    dusty = speckled(image_of(form_pdf(FORM)).rotate(-1.5, fillcolor=255), 0.01)
    result = run(tmp_path, image_pdf(dusty), ocr={})  # unfiltered: 'numbef', '1.278,61.EUR:'
    assert {key: result[key] for key in FIELDS} == {
        "policy": "HM-448812", "loss_date": "2025-03-14", "claimant": "Marguerite Okonkwo",
        "amount": "1278.61"}


def test_only_a_speckled_page_is_filtered() -> None:
    clean = image_of(form_pdf(FORM))
    assert despeckled(clean) is clean  # a fine mark such as an apostrophe stays
    assert despeckled(speckled(clean, 0.01)) is not clean


def test_without_ocr_a_scan_is_still_no_text_layer(tmp_path: Path, scan: bytes) -> None:
    error = failure(tmp_path, scan)
    assert error.code == "NO_TEXT_LAYER" and "ocr" in error.message


def test_a_scan_ocr_reads_nothing_on_says_so(tmp_path: Path) -> None:
    grey = image_pdf(Image.new("L", (1654, 2339), 200))  # a page scanned with the lid open
    error = failure(tmp_path, grey, ocr={})
    assert error.code == "NO_TEXT_LAYER" and "OCR read no words" in error.message


def test_ocr_can_be_turned_off(tmp_path: Path, scan: bytes) -> None:
    assert failure(tmp_path, scan, ocr={"enabled": False}).code == "NO_TEXT_LAYER"


def test_no_engine_is_no_text_layer_saying_how_to_install(tmp_path: Path, scan: bytes,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.setattr(ocr, "engine_installed", lambda: False)
    error = failure(tmp_path, scan, ocr={})
    assert error.code == "NO_TEXT_LAYER"
    assert "runner.py setup" in error.message and "tesseract-ocr" in error.message


def test_a_language_not_installed_is_named(tmp_path: Path, scan: bytes) -> None:
    error = failure(tmp_path, scan, ocr={"languages": ["eng", "tlh"]})
    assert error.code == "NO_TEXT_LAYER" and "tesseract-ocr-tlh" in error.message


def test_only_the_scanned_page_of_a_mixed_document_is_ocred(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    text_page = form_pdf([(72, 760, "Harbor Mutual cover letter"), (72, 700, "Page one")])
    scanned_page = image_pdf(image_of(form_pdf(FORM)))
    writer = PdfWriter()
    for part in (text_page, scanned_page, form_pdf([])):  # a blank back page as well
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    read: list[int] = []
    original = ocr.render_page
    def counted(data: bytes, path: Path, index: int, *rest: Any) -> Any:
        read.append(index)
        return original(data, path, index, *rest)

    monkeypatch.setattr(ocr, "render_page", counted)
    result = run(tmp_path, out.getvalue(), ocr={}, fields={"policy": FIELDS["policy"]})
    assert result["policy"] == "HM-448812" and result["_provenance"]["policy"]["page"] == 2
    assert read == [1]  # page 2 only: page 1 has text, page 3 draws nothing


def test_a_scan_with_a_stamp_in_text_is_still_read(tmp_path: Path) -> None:
    image = image_of(form_pdf(FORM))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)  # what a mail room's system makes of a scan
    canvas.drawImage(ImageReader(image), 0, 0, width=595.27, height=841.89)
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(400, 810, "RECEIVED 02.04.2025 #77812")
    canvas.save()
    fields = {"policy": FIELDS["policy"], "received": {"label": "RECEIVED"}}
    result = run(tmp_path, buffer.getvalue(), ocr={}, fields=fields)
    assert (result["policy"], result["received"]) == ("HM-448812", "02.04.2025 #77812")
    assert result["_confidence"]["received"]["score"] == 1.0  # the stamp's own text, not OCR's


def test_a_page_too_large_to_render_is_refused(tmp_path: Path, scan: bytes) -> None:
    error = failure(tmp_path, scan, ocr={"dpi": 600}, limits={"max_image_pixels": 10_000_000})
    assert error.code == "IMAGE_TOO_LARGE"


TSV = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\t"
       "conf\ttext\n"
       "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n"
       "4\t1\t1\t1\t1\t0\t300\t600\t900\t50\t-1\t\n"
       "5\t1\t1\t1\t1\t1\t300\t600\t250\t50\t96.5\tPolicy\n"
       "5\t1\t1\t1\t1\t2\t600\t600\t150\t50\t12\t\"HM-44\n"
       "5\t1\t1\t1\t1\t3\t800\t600\t10\t50\t95\t \n")


def test_tesseract_tsv_becomes_words_in_points_with_confidence() -> None:
    words = parse_tsv(TSV, scale=300 / 72)
    assert [word["text"] for word in words] == ["Policy", '"HM-44']  # quotes kept, blanks not
    assert words[0]["x0"] == pytest.approx(72) and words[0]["bottom"] == pytest.approx(156)
    assert [word["confidence"] for word in words] == [0.965, 0.12]


def tsv_row(text: str, left: int, width: int, height: int, conf: float) -> str:
    return f"5\t1\t1\t1\t1\t1\t{left}\t600\t{width}\t{height}\t{conf}\t{text}\n"


def test_specks_of_scanner_noise_are_not_words() -> None:
    header = TSV.split("\n", 1)[0] + "\n"
    rows = [tsv_row("Du", 700, 3, 3, 21), tsv_row("|", 900, 3, 50, 93.4),  # specks
            tsv_row("Müller", 300, 250, 50, 97), tsv_row("€", 600, 30, 50, 60),  # print
            tsv_row("-", 650, 20, 4, 92), tsv_row("1", 800, 20, 50, 90),
            tsv_row("—", 950, 40, 4, 0), tsv_row(".", 990, 5, 5, 61)]  # specks
    words = parse_tsv(header + "".join(rows), scale=300 / 72)
    assert [word["text"] for word in words] == ["Müller", "€", "-", "1"]


@pytest.mark.parametrize(("scanned_at", "read_at"), [(100, 200), (200, 200), (400, 300)])
def test_a_scan_is_read_at_its_own_resolution_within_200_to_300(scanned_at: int,
                                                                 read_at: int) -> None:
    image = Image.new("L", (int(8.27 * scanned_at), int(11.69 * scanned_at)), 255)
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=scanned_at)
    _image, scale = ocr.render_page(out.getvalue(), Path("s.pdf"), 0, None, InputLimits())
    assert scale * 72 == pytest.approx(read_at, abs=1)


def test_more_scanned_pages_than_ocr_max_pages_is_refused_before_reading(
        tmp_path: Path, scan: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    writer = PdfWriter()
    for _ in range(3):
        writer.append(PdfReader(io.BytesIO(scan)))
    out = io.BytesIO()
    writer.write(out)
    monkeypatch.setattr(ocr, "render_page", lambda *args: pytest.fail("OCR ran"))
    error = failure(tmp_path, out.getvalue(), ocr={"max_pages": 2})
    assert error.code == "TOO_MANY_PAGES" and "ocr.max_pages" in error.message
