"""`try RECIPE FILE`: one pdf step's rules on one file, with values, provenance and every
problem; nothing recorded; exit 0 / 1 / 2 for read / problems / a bad recipe or file."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from bots.cli import main

ROOT = Path(__file__).resolve().parents[1]

RECIPE = """\
recipe: try-test
source: {folder: inbox}
steps:
  - id: invoice
    uses: pdf.extract_fields
    with:
      path: ${item.path}
      layouts:
        - name: globex
          when: ["Globex"]
          fields:
            number: {label: "Invoice No.:"}
            issued: {label: "Date:", type: date, dayfirst: true}
            total: {label: "Total:", type: amount}
            buyer: {label: "Buyer:", missing_code: BUYER_MISSING}
  - id: rules
    uses: data.check_rules
    with:
      rules:
        - {code: AMOUNT_OVER_LIMIT, name: Total, value: "${invoice.total}", at_most: 1000}
"""


def pdf(tmp_path: Path, lines: list[str], name: str = "invoice.pdf") -> Path:
    """A one-page PDF with one text line per entry, labels and values a column apart."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.setFont("Helvetica", 10)
    for index, line in enumerate(lines):
        label, _, value = line.partition("|")
        canvas.drawString(60, 780 - 20 * index, label)
        canvas.drawString(200, 780 - 20 * index, value)
    canvas.save()
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


GOOD = ["Globex Corporation|", "Invoice No.:|INV-2026-001", "Date:|05.01.2026",
        "Total:|EUR 250.00", "Buyer:|Initech GmbH"]


@pytest.fixture
def recipe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # a state folder would appear here: none may
    monkeypatch.setenv("BOTS_STATE_DIR", str(tmp_path / "state"))
    path = tmp_path / "try-test.yaml"
    path.write_text(RECIPE, encoding="utf-8")
    return path


def tried(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:
    code = main(["try", *args, "--json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else {}), err


def test_every_field_read_with_provenance_and_nothing_recorded(tmp_path, recipe, capsys):
    code, data, _ = tried(capsys, str(recipe), str(pdf(tmp_path, GOOD)))
    assert code == 0 and data["ok"] and data["layout"] == "globex"
    assert data["values"] == {"number": "INV-2026-001", "issued": "2026-01-05",
                              "total": "250.00", "currency": "EUR", "buyer": "Initech GmbH"}
    where = data["provenance"]["number"]
    assert where["page"] == 1 and where["box"][0] == 200.0 and "Invoice No.:" in where["rule"]
    assert data["problems"] == [] and data["step"] == "invoice"
    assert not (tmp_path / "state").exists() and sorted(p.name for p in tmp_path.iterdir()) == [
        "invoice.pdf", "try-test.yaml"]


def test_every_problem_is_shown_with_what_was_read(tmp_path, recipe, capsys):
    lines = ["Globex Corporation|", "Invoice No.:|INV-2026-002", "Date:|31.02.2026",
             "Total:|EUR 99.00"]  # an impossible date, and no buyer
    code, data, _ = tried(capsys, str(recipe), str(pdf(tmp_path, lines)))
    assert code == 1 and not data["ok"]
    assert data["values"]["number"] == "INV-2026-002" and data["values"]["total"] == "99.00"
    problems = {problem["code"]: problem for problem in data["problems"]}
    assert set(problems) == {"FIELD_INVALID", "BUYER_MISSING"}  # both, not only the first
    assert problems["FIELD_INVALID"]["field"] == "issued" and "31.02.2026" in problems[
        "FIELD_INVALID"]["message"]
    assert data["values"]["issued"] is None and data["fields_read"] == 3


def test_text_report_names_layout_fields_and_verdict(tmp_path, recipe, capsys):
    code = main(["try", str(recipe), str(pdf(tmp_path, GOOD[:-1]))])
    out = capsys.readouterr().out
    assert code == 1
    assert "layout: globex" in out and "'INV-2026-001'" in out
    assert "page 1 box [200.0" in out and "by label 'Invoice No.:' right" in out
    assert "BUYER_MISSING" in out and "problems above" in out


def test_no_layout_says_why(tmp_path, recipe, capsys):
    code, data, _ = tried(capsys, str(recipe), str(pdf(tmp_path, ["Initech Ltd|", *GOOD[1:]])))
    assert code == 1 and data["layout"] is None
    [problem] = data["problems"]
    assert problem["code"] == "UNKNOWN_LAYOUT" and "globex needs 'Globex'" in problem["message"]
    assert data["layouts"] == [{"name": "globex", "found": [], "missing": ["Globex"],
                                "found_form": [], "missing_form": []}]


def test_no_layout_names_the_texts_each_layout_lacks(tmp_path, recipe, capsys):
    recipe.write_text(RECIPE.replace('when: ["Globex"]', 'when: ["Globex", "Invoice No.", "VAT"]'),
                      encoding="utf-8")
    code = main(["try", str(recipe), str(pdf(tmp_path, GOOD))])
    assert code == 1
    assert "layout globex: missing 'VAT' (found 'Globex', 'Invoice No.')" in capsys.readouterr().out


def test_a_step_that_is_not_a_pdf_step_is_refused(tmp_path, recipe, capsys):
    code, _, err = tried(capsys, str(recipe), str(pdf(tmp_path, GOOD)), "--step", "rules")
    assert code == 2 and "'rules' is a data.check_rules step" in err
    code, _, err = tried(capsys, str(recipe), str(pdf(tmp_path, GOOD)), "--step", "nope")
    assert code == 2 and "no step 'nope'; its pdf steps: invoice" in err


def test_a_bad_file_is_the_runs_message_and_exit_2(tmp_path, recipe, capsys):
    text = tmp_path / "note.pdf"
    text.write_text("not a pdf at all", encoding="utf-8")
    code, data, err = tried(capsys, str(recipe), str(text))
    assert code == 2 and data == {}
    assert "note.pdf: the file is plain text, not a PDF" in err
    code, _, err = tried(capsys, str(recipe), str(tmp_path / "gone.pdf"))
    assert code == 2 and "gone.pdf: no such file" in err


def test_a_bad_recipe_lists_its_problems_and_exit_2(tmp_path, recipe, capsys):
    recipe.write_text(RECIPE.replace("missing_code:", "misssing_code:"), encoding="utf-8")
    code, _, err = tried(capsys, str(recipe), str(pdf(tmp_path, GOOD)))
    assert code == 2 and "problem" in err and "misssing_code" in err


def test_the_shipped_claims_recipe_from_the_shell():
    result = subprocess.run([sys.executable, "runner.py", "try", "claims-intake",
                             "fixtures/claims/claim-11-acme-no-policy.pdf"], cwd=ROOT, text=True,
                            capture_output=True, check=False, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "layout: acme" in result.stdout and "POLICY_MISSING" in result.stdout
    assert "'Maria Keller'" in result.stdout and "Traceback" not in result.stderr


TABLE_RECIPE = """\
recipe: try-table
source: {folder: inbox}
steps:
  - id: invoice
    uses: pdf.extract_fields
    with:
      path: ${item.path}
      layouts:
        - name: globex
          when: ["Globex"]
          fields:
            lines:
              table:
                header: {item: Item, quantity: Qty, amount: Amount}
                types: {quantity: int, amount: amount}
                totals: {total: Total}
                sum: amount
"""


@pytest.mark.parametrize(("total", "code", "verdict"), [
    ("14.50", 0, "add up to total: ok"),
    ("15.00", 1, "add up to total: FAILS: expected 15.00, found 14.50"),  # and LOW_CONFIDENCE
])
def test_a_table_shows_each_row_with_its_place_and_the_sum_check(tmp_path, recipe, capsys,
                                                                 total, code, verdict):
    recipe.write_text(TABLE_RECIPE, encoding="utf-8")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.setFont("Helvetica", 10)
    for y, (item, qty, amount) in zip((760, 740, 720, 700), [
            ("Item", "Qty", "Amount"), ("Bolts", "2", "10.00"), ("Nuts", "3", "4.50"),
            ("Total", "", total)], strict=True):
        canvas.drawString(60, y, item)
        canvas.drawString(300, y, qty)
        canvas.drawRightString(500, y, amount)
    canvas.drawString(60, 800, "Globex Corporation")
    canvas.save()
    path = tmp_path / "table.pdf"
    path.write_bytes(buffer.getvalue())
    assert main(["try", str(recipe), str(path)]) == code
    out = capsys.readouterr().out
    assert "lines                2 row(s)" in out
    assert 'p1 top' in out and '{"item": "Bolts", "quantity": 2, "amount": "10.00"}' in out
    assert verdict in out
    assert ("LOW_CONFIDENCE" in out) == bool(code)


def test_the_file_tried_is_file_even_where_the_recipe_names_a_path(tmp_path, recipe, capsys):
    recipe.write_text(RECIPE.replace("${item.path}", "fixed/elsewhere.pdf"), encoding="utf-8")
    code, data, _ = tried(capsys, str(recipe), str(pdf(tmp_path, GOOD)))
    assert code == 0 and data["values"]["number"] == "INV-2026-001"


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs Tesseract (setup)")
def test_a_scan_no_layout_fits_is_explained_from_its_ocr_text(tmp_path, recipe, capsys):
    from tests.test_pdf_tools import scan

    path = scan(tmp_path)  # "Member number: SH-1002-331", as an image
    code, _, err = tried(capsys, str(recipe), str(path))
    assert code == 2 and "no text layer" in err and "ocr:" in err  # without the step's ocr:
    recipe.write_text(RECIPE.replace("      path: ${item.path}\n",
                                     "      path: ${item.path}\n      ocr: {}\n"),
                      encoding="utf-8")
    code, data, _ = tried(capsys, str(recipe), str(path))
    assert code == 1 and data["problems"][0]["code"] == "UNKNOWN_LAYOUT"
    assert data["layouts"] == [{"name": "globex", "found": [], "missing": ["Globex"],
                                "found_form": [], "missing_form": []}]
    assert "Member number" in data["problems"][0]["message"]  # what OCR read, quoted


def test_a_fault_in_the_step_is_a_problem_not_a_traceback(tmp_path, recipe, capsys, monkeypatch):
    def broken(*_: object) -> None:
        raise KeyError("_pages")

    monkeypatch.setattr("bots.commands.try_run.call", broken)
    code, data, _ = tried(capsys, str(recipe), str(pdf(tmp_path, GOOD)))
    assert code == 1
    [problem] = data["problems"]
    assert problem["code"] == "STEP_FAILED" and "KeyError" in problem["message"]


def test_a_folder_gets_a_line_per_file_and_a_total(tmp_path, recipe, capsys):
    samples = tmp_path / "samples"
    samples.mkdir()
    pdf(samples, GOOD, name="a-good.pdf")
    pdf(samples, GOOD[:-1], name="b-no-buyer.pdf")
    (samples / "c-note.pdf").write_text("not a pdf", encoding="utf-8")
    (samples / "notes.txt").write_text("not a sample", encoding="utf-8")
    code, data, _ = tried(capsys, str(recipe), str(samples))
    assert code == 1
    rows = {Path(row["file"]).name: row for row in data["files"]}
    assert set(rows) == {"a-good.pdf", "b-no-buyer.pdf", "c-note.pdf"}
    assert rows["a-good.pdf"]["ok"] and rows["a-good.pdf"]["fields_read"] == 5
    assert rows["b-no-buyer.pdf"]["codes"] == ["BUYER_MISSING"]
    assert rows["c-note.pdf"]["codes"] == ["NOT_A_PDF"] and rows["c-note.pdf"]["layout"] is None
    assert main(["try", str(recipe), str(samples / "a-good.pdf"), str(samples / "b-no-buyer.pdf")]
                ) == 1
    out = capsys.readouterr().out
    assert "a-good.pdf      globex" in out and "5/5  -" in out and "4/5  BUYER_MISSING" in out
    assert "2 file(s): 1 read in full, 1 with problems" in out


def test_a_recipe_that_cannot_run_stops_a_folder_try_once(tmp_path, recipe, capsys):
    recipe.write_text(RECIPE.replace("${item.path}", "${policy.path}"), encoding="utf-8")
    samples = tmp_path / "samples"
    samples.mkdir()
    pdf(samples, GOOD, name="a.pdf")
    pdf(samples, GOOD, name="b.pdf")
    code = main(["try", str(recipe), str(samples)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert "'${policy.path}' refers to 'policy'" in captured.err  # once, before any file


def test_png_draws_a_box_round_each_value_read(tmp_path, recipe, capsys):
    from PIL import Image

    from bots.review.render import BOX_COLOUR

    out = tmp_path / "drawn" / "values.png"
    code = main(["try", str(recipe), str(pdf(tmp_path, GOOD)), "--png", str(out)])
    assert code == 0 and "drew 1 page(s)" in capsys.readouterr().err
    image = Image.open(out).convert("RGB")
    scale = image.width / 595.0  # reportlab's default page is A4: 595 points wide
    box_left = round(200 * scale) - 3  # every value starts at x 200; the box is drawn round it
    column = {image.getpixel((x, y)) for x in range(box_left - 2, box_left + 3)
              for y in range(image.height)}
    assert BOX_COLOUR in column
    labels = {image.getpixel((round(60 * scale) - 3, y)) for y in range(image.height)}
    assert BOX_COLOUR not in labels  # the labels at x 60 are not values: no box round them


def test_no_layout_names_the_form_fields_each_layout_lacks(tmp_path, recipe, capsys):
    from tests.test_pdf_tools import form

    recipe.write_text(RECIPE.replace('when: ["Globex"]',
                                     'when_form: [policy_no, witness.name, claimant_signature]'),
                      encoding="utf-8")
    code = main(["try", str(recipe), str(form(tmp_path))])
    assert code == 1
    assert ("layout globex: missing form field 'claimant_signature' (found form field "
            "'policy_no', form field 'witness.name')") in capsys.readouterr().out
