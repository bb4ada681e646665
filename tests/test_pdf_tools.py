"""`pdf show`: a PDF as the rules see it (lines in reading order, word positions, form fields),
a page drawn with its word boxes, and a bad file refused with a run's one-line message."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from bots.cli import main
from bots.commands.pdf_png import MARGIN, WORD_COLOUR
from bots.pdf.document import load_document

ROOT = Path(__file__).resolve().parents[1]
HEIGHT = 842.0  # reportlab's A4 page: y from the bottom, pdfplumber's top from the top


def drawn(tmp_path: Path, pages: list[list[tuple[float, float, str]]],
          name: str = "drawn.pdf") -> Path:
    """A PDF with text at (x, y from the bottom) per page, drawn in the order given."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True, pagesize=(595.0, HEIGHT))
    for texts in pages:
        canvas.setFont("Helvetica", 10)
        for x, y, text in texts:
            canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def form(tmp_path: Path) -> Path:
    """A fillable form: a text field and a ticked checkbox."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True, pagesize=(595.0, HEIGHT))
    canvas.drawString(60, 760, "Policy number")
    canvas.acroForm.textfield(name="policy_no", value="POL-105209", x=200, y=750, width=150,
                              height=20)
    canvas.acroForm.textfield(name="claim.holder[0]", value="Elena Garcia", x=200, y=720,
                              width=150, height=20)
    canvas.acroForm.checkbox(name="injured", checked=True, x=200, y=700, size=14)
    for y, who in ((680, "witness"), (650, "agent")):  # two fields whose short name is "name"
        canvas.acroForm.textfield(name=f"claim.{who}.name", value=who.title(), x=200, y=y,
                                  width=150, height=20)
    canvas.save()
    path = tmp_path / "form.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def show(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["pdf", "show", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_lines_come_in_reading_order_with_word_positions(tmp_path, capsys):
    # drawn bottom line first: the content stream's order is not the order a person reads
    path = drawn(tmp_path, [[(60, 600, "Total: 12.00"), (60, 760, "Invoice INV-7"),
                             (300, 760, "Date: 2026-01-05")]])
    code, out, _ = show(capsys, str(path), "--json")
    assert code == 0
    [page] = json.loads(out)["pages"]
    texts = [line["text"] for line in page["lines"]]
    assert texts == ["Invoice INV-7 Date: 2026-01-05", "Total: 12.00"]
    first = page["lines"][0]["words"]
    assert [word["text"] for word in first] == ["Invoice", "INV-7", "Date:", "2026-01-05"]
    assert first[0]["x0"] == 60.0 and first[2]["x0"] == 300.0
    assert first[0]["top"] == pytest.approx(HEIGHT - 760 - 8, abs=1.5)


def test_text_marks_a_column_gap_and_numbers_lines(tmp_path, capsys):
    path = drawn(tmp_path, [[(60, 760, "Invoice INV-7"), (300, 760, "Date: 2026-01-05")]])
    code, out, _ = show(capsys, str(path))
    assert code == 0
    assert "L1" in out and "Invoice INV-7 | Date: 2026-01-05" in out
    assert "x 60.0 Invoice  94.5 INV-7  300.0 Date:" in out
    assert "columns 60.0-" in out and " | 300.0-" in out  # spans for a table's `columns:`
    assert "no form fields" in out


def test_page_option_shows_one_page_counted_from_either_end(tmp_path, capsys):
    path = drawn(tmp_path, [[(60, 760, "first page")], [(60, 760, "second page")]])
    _, out, _ = show(capsys, str(path), "--page", "-1", "--json")
    assert [page["number"] for page in json.loads(out)["pages"]] == [2]
    code, _, err = show(capsys, str(path), "--page", "3")
    assert code == 2 and "no page 3; it has 2 page(s)" in err


def test_form_fields_with_names_and_values(tmp_path, capsys):
    code, out, _ = show(capsys, str(form(tmp_path)), "--json")
    assert code == 0
    fields = {field["short_name"]: field for field in json.loads(out)["form_fields"]}
    assert fields["policy_no"]["value"] == "POL-105209"
    assert fields["policy_no"]["full_name"] == "policy_no" and fields["policy_no"]["page"] == 1
    assert fields["injured"]["kind"] == "checkbox" and fields["injured"]["checked"] is True
    holder = fields["holder"]  # a qualified name: the rule may use either
    assert holder["full_name"] == "claim.holder[0]" and holder["value"] == "Elena Garcia"
    _, out, _ = show(capsys, str(form(tmp_path)), "--json")
    by_full = {field["full_name"]: field for field in json.loads(out)["form_fields"]}
    witness = by_full["claim.witness.name"]
    assert witness["use"] == "witness.name" and witness["short_name_shared"] is True
    assert by_full["policy_no"]["use"] == "policy_no"
    assert not by_full["policy_no"]["short_name_shared"]
    document = load_document(form(tmp_path))  # the reader takes each USE name to its field
    assert all(document.form.field(field["use"]).name == full  # type: ignore[union-attr]
               for full, field in by_full.items())
    _, text, _ = show(capsys, str(form(tmp_path)))
    assert "policy_no" in text and "'POL-105209'" in text and "FULL NAME" in text
    assert "ambiguous alone: name" in text


def test_png_draws_word_boxes_and_line_numbers(tmp_path, capsys):
    path = drawn(tmp_path, [[(60, 760, "Invoice INV-7")]])
    out = tmp_path / "pages" / "page.png"
    code, _, err = show(capsys, str(path), "--png", str(out))
    assert code == 0 and "page.png" in err
    image = Image.open(out).convert("RGB")
    assert image.width > 595 and image.height > HEIGHT  # drawn above 1 pixel per point
    scale = image.height / HEIGHT
    top = round((HEIGHT - 760 - 9) * scale)
    row = [image.getpixel((x, y)) for y in range(top - 6, top + 6)
           for x in range(MARGIN + int(58 * scale), MARGIN + int(62 * scale))]
    assert WORD_COLOUR in row  # the box round "Invoice" starts at x 60
    margin = [image.getpixel((x, y)) for x in range(MARGIN) for y in range(top - 4, top + 14)]
    assert any(pixel != (255, 255, 255) for pixel in margin)  # its line number "L1"


@pytest.mark.parametrize(("content", "expected"), [
    (b"Hello, this is a note", "the file is plain text, not a PDF"),
    (b"", "the file is empty"),
    (b"%PDF-1.4\n1 0 obj <<", "the PDF is damaged"),
])
def test_a_bad_file_is_one_line_and_exit_2(tmp_path, capsys, content, expected):
    path = tmp_path / "claim.pdf"
    path.write_bytes(content)
    code, out, err = show(capsys, str(path))
    assert code == 2 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith("error: claim.pdf: ") and expected in line


def test_a_missing_file_from_the_shell_has_no_traceback(tmp_path):
    result = subprocess.run([sys.executable, "runner.py", "pdf", "show",
                             str(tmp_path / "gone.pdf")], cwd=ROOT, text=True,
                            capture_output=True, check=False, timeout=60)
    assert result.returncode == 2
    assert "gone.pdf: file not found" in result.stderr and "Traceback" not in result.stderr


CII = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice
  xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
  <rsm:ExchangedDocument><ram:ID>INV-9</ram:ID></rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeSettlement>
    <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
      <ram:GrandTotalAmount currencyID="EUR">1278.61</ram:GrandTotalAmount>
    </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""


def test_an_embedded_invoice_is_listed_by_the_paths_rules_use(tmp_path, capsys):
    from pypdf import PdfReader, PdfWriter

    from bots.pdf.einvoice_file import parse_xml
    from bots.pdf.einvoice_rule import NAMESPACES

    writer = PdfWriter(clone_from=PdfReader(drawn(tmp_path, [[(60, 760, "Invoice INV-9")]])))
    writer.add_attachment("factur-x.xml", CII.encode())
    path = tmp_path / "facturx.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    code, out, _ = show(capsys, str(path), "--json")
    assert code == 0
    invoice = json.loads(out)["einvoice"]
    assert invoice["name"] == "factur-x.xml" and "CII" in invoice["kind"]
    values = {value["path"]: value for value in invoice["values"]}
    total = ("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
             "ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount")
    assert values["rsm:ExchangedDocument/ram:ID"]["text"] == "INV-9"
    assert values[total] == {"path": total, "text": "1278.61",
                             "attributes": {"currencyID": "EUR"}}
    root = parse_xml(CII.encode())  # each path finds its value as an `einvoice:` rule would
    assert all(root.findtext(p, namespaces=NAMESPACES) == v["text"] for p, v in values.items())
    _, text, _ = show(capsys, str(path))
    assert f"{total} = '1278.61' @currencyID=EUR" in text


def test_a_pdf_without_an_invoice_has_no_einvoice_section(tmp_path, capsys):
    _, out, _ = show(capsys, str(drawn(tmp_path, [[(60, 760, "Invoice INV-9")]])), "--json")
    assert "einvoice" not in json.loads(out)


def scan(tmp_path: Path) -> Path:
    """A page of text rendered to an image and wrapped in a PDF: no text layer left."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader

    text = drawn(tmp_path, [[(60, 760, "Member number: SH-1002-331")]], name="text.pdf")
    image = pdfium.PdfDocument(str(text))[0].render(scale=300 / 72).to_pil()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True, pagesize=(595.0, HEIGHT))
    canvas.drawImage(ImageReader(image), 0, 0, width=595.0, height=HEIGHT)
    canvas.save()
    path = tmp_path / "scan.pdf"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs Tesseract (setup)")
def test_a_scan_is_read_through_ocr_with_word_confidence(tmp_path, capsys):
    path = scan(tmp_path)
    code, _, err = show(capsys, str(path))
    assert code == 2 and "no text layer" in err and "`pdf show FILE --ocr`" in err
    code, out, _ = show(capsys, str(path), "--ocr", "eng", "--json")
    assert code == 0
    [line] = json.loads(out)["pages"][0]["lines"]
    assert line["text"] == "Member number: SH-1002-331"
    assert all(0.5 < word["confidence"] <= 1 for word in line["words"])
    assert line["words"][0]["x0"] == pytest.approx(60, abs=3)  # points, not pixels


def test_a_long_document_is_shown_past_a_steps_default_page_limit(tmp_path, capsys):
    path = drawn(tmp_path, [[(60, 760, f"page {number}")] for number in range(1, 61)])
    code, out, _ = show(capsys, str(path), "--page", "-1", "--json")
    assert code == 0
    [page] = json.loads(out)["pages"]
    assert page["number"] == 60 and page["lines"][0]["text"] == "page 60"
