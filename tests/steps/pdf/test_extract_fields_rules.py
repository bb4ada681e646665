"""pdf.extract_fields beyond the fixtures: hints, alternatives, bad values, bad rules, odd files."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas
from ruamel.yaml import YAML

from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import BusinessError
from bots.steps.pdf.extract_fields import Params, extract_fields
from fixtures import make_claims
from fixtures.make_claims import WATER, Claim, acme

CLAIMS = Path(__file__).resolve().parents[3] / "fixtures" / "claims"
ITEMIZED = CLAIMS / "claim-04-northwind-itemized.pdf"
HARBOR = CLAIMS / "claim-05-harbor-fire.pdf"


def run(path: Path, fields: dict[str, Any], when: str = "", **params: Any) -> dict[str, Any]:
    """Run the step with one layout made of ``fields``."""
    layout = {"name": "test", "when": when or "Claim", "fields": fields}
    return run_params({"path": str(path), "layouts": [layout], **params})


def run_params(params: dict[str, Any]) -> dict[str, Any]:
    """Validate the step's parameters and run it as the engine would."""
    checked = Params.model_validate(params)
    item = WorkItem(key="k", name=Path(checked.path).name)
    return extract_fields.function(checked, StepContext(run_id="t", item=item, step_id="claim"))


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def text_pdf(tmp_path: Path, lines: list[tuple[float, float, str]]) -> Path:
    """A one-page PDF with text at (x, y from the bottom) positions."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.setFont("Helvetica", 10)
    for x, y, text in lines:
        canvas.drawString(x, y, text)
    canvas.save()
    return write(tmp_path, "drawn.pdf", buffer.getvalue())


def code_of(path: Path, fields: dict[str, Any], **params: Any) -> BusinessError:
    with pytest.raises(BusinessError) as raised:
        run(path, fields, **params)
    return raised.value


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    error = code_of(tmp_path / "gone.pdf", {"x": {"label": "X"}})
    assert error.code == "FILE_MISSING" and "gone.pdf" in error.message


def test_page_hint_picks_the_page() -> None:
    rule = {"label": "Item", "where": "below"}
    first = run(ITEMIZED, {"item": rule}, when="Northwind")
    last = run(ITEMIZED, {"item": {**rule, "page": -1}}, when="Northwind")
    assert first["item"] == "Sofa #1" and first["_provenance"]["item"]["page"] == 1
    assert last["item"] == "Armchair #32" and last["_provenance"]["item"]["page"] == 2
    assert last["_provenance"]["item"]["rule"] == "label 'Item' below page -1"


def test_region_hint_picks_the_column() -> None:
    rule = {"label": "Date", "where": "below", "type": "date"}
    left = run(ITEMIZED, {"d": rule}, when="NW-7")
    right = run(ITEMIZED, {"d": {**rule, "region": [0.5, 0, 1, 0.5]}}, when="NW-7")
    assert (left["d"], right["d"]) == ("2026-06-21", "2026-11-02")


def test_alternatives_fall_back_in_order() -> None:
    rules = [{"label": "Total claimed", "type": "amount"},
             {"label": "Amount Claimed", "where": "below", "type": "amount"}]
    collision = run(CLAIMS / "claim-03-northwind-collision.pdf", {"amount": rules}, when="NW-7")
    assert (collision["amount"], collision["currency"]) == ("2310.00", "EUR")
    assert collision["_provenance"]["amount"]["rule"] == "label 'Amount Claimed' below"


def test_a_value_that_will_not_normalize_is_field_invalid(tmp_path: Path) -> None:
    bad_date = Claim(**{**WATER.__dict__, "loss_date": "2026-02-31"})
    path = write(tmp_path, "bad.pdf", acme(bad_date))
    error = code_of(path, {"loss_date": {"label": "Date of Loss:", "type": "date"}},
                    when="ACME")
    assert error.code == "FIELD_INVALID"
    assert "'loss_date'" in error.message and "31.02.2026" in error.message
    assert error.details["field"] == "loss_date" and error.details["page"] == 1


def test_an_unknown_wording_is_field_invalid() -> None:
    rule = {"label": "Type of Loss:", "type": "choice", "choices": {"Fire": "FIR"}}
    error = code_of(CLAIMS / "claim-01-acme-water.pdf", {"t": rule}, when="ACME")
    assert error.code == "FIELD_INVALID" and "'Fire'" in error.message


def test_an_amount_without_currency_needs_a_default() -> None:
    rule = {"form_field": "claim_amount", "type": "amount"}
    assert code_of(HARBOR, {"a": rule}, when="Harbor").code == "FIELD_INVALID"
    found = run(HARBOR, {"a": {**rule, "default_currency": "EUR", "currency_field": "cur"}},
                when="Harbor")
    assert (found["a"], found["cur"]) == ("1250.00", "EUR")


def test_required_and_optional_missing_fields() -> None:
    acme_water = CLAIMS / "claim-01-acme-water.pdf"
    error = code_of(acme_water, {"adjuster": {"label": "Adjuster name:"}}, when="ACME")
    assert error.code == "FIELD_MISSING" and "'adjuster'" in error.message
    found = run(acme_water, {"adjuster": {"label": "Adjuster name:", "required": False}},
                when="ACME")
    assert found["adjuster"] is None and "adjuster" not in found["_provenance"]
    assert code_of(HARBOR, {"p": {"form_field": "nope", "missing_code": "POLICY_MISSING"}},
                   when="Harbor").code == "POLICY_MISSING"


def test_below_reads_several_lines_in_its_column_only(tmp_path: Path) -> None:
    path = text_pdf(tmp_path, [(50, 700, "Claim Details"), (300, 700, "Other"),
                               (50, 686, "Water came in"), (300, 686, "far right"),
                               (50, 674, "through the roof."), (50, 640, "Next label")])
    found = run(path, {"d": {"label": "Details", "where": "below", "lines": 3}})
    assert found["d"] == "Water came in through the roof."
    assert found["_provenance"]["d"]["text"] == "Water came in far right\nthrough the roof."


def test_right_stops_at_a_column_gap(tmp_path: Path) -> None:
    path = text_pdf(tmp_path, [(50, 700, "Claim Claimant: Ann Lee"), (300, 700, "Phone: 555")])
    assert run(path, {"c": {"label": "claimant"}})["c"] == "Ann Lee"
    assert run(path, {"c": {"label": "claimant", "max_gap": 500}})["c"] == "Ann Lee Phone: 555"


def test_an_open_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(CLAIMS / "claim-01-acme-water.pdf"))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "owner-only.pdf"
    writer.write(path)
    found = run(path, {"p": {"label": "Policy No.:", "type": "policy_number"}}, when="ACME")
    assert found["p"] == "POL-100234"


@pytest.mark.parametrize("content", [
    b"%PDF-1.4\n", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF",
    make_claims.corrupt(acme(WATER))[:300]])
def test_damaged_pdfs_are_corrupt(tmp_path: Path, content: bytes) -> None:
    error = code_of(write(tmp_path, "broken.pdf", content), {"x": {"label": "X"}})
    assert error.code == "CORRUPT_PDF" and "broken.pdf" in error.message


def test_unknown_layout_lists_what_each_layout_needs() -> None:
    error = code_of(CLAIMS / "claim-18-bluebird.pdf", {"x": {"label": "X"}}, when="Harbor")
    assert error.code == "UNKNOWN_LAYOUT"
    assert "test needs 'Harbor'" in error.message and "Bluebird General" in error.message


@pytest.mark.parametrize(("layout", "fragment"), [
    ({"name": "a", "when": "A", "fields": {"x": {"label": "X", "colour": "red"}}},
     "Extra inputs are not permitted"),
    ({"name": "a", "when": "A", "fields": {"x": {"label": "X", "form_field": "x"}}},
     "exactly one"),
    ({"name": "a", "when": "A", "fields": {"x": {"label": "X", "type": "choice"}}},
     "`choices`"),
    ({"name": "a", "when": "A", "fields": {"x": {"label": "X", "where": "inside"}}},
     "'right', 'left', 'below' or 'above'"),
    ({"name": "a", "when": [], "fields": {"x": {"label": "X"}}}, "needs `when`"),
    ({"name": "a", "when": "A", "fields": {"x": []}}, "empty list of rules"),
])
def test_bad_rules_are_refused_with_the_reason(layout: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        Params.model_validate({"path": "x.pdf", "layouts": [layout]})


def test_unknown_step_parameters_are_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        Params.model_validate({"path": "x.pdf", "layouts": [], "pasword": "x"})


def test_the_declared_step_has_a_summary_and_an_example() -> None:
    assert extract_fields.name == "pdf.extract_fields"
    assert extract_fields.summary.startswith("Extract")
    assert "pdf.extract_fields" in extract_fields.example and not extract_fields.is_async


def test_the_documented_example_runs() -> None:
    example = YAML(typ="safe").load(extract_fields.example)[0]
    params = {**example["with"], "path": str(CLAIMS / "claim-01-acme-water.pdf")}
    assert example["with"]["path"] == "${item.path}"
    found = run_params(params)
    assert (found["policy_number"], found["loss_date"], found["amount"]) == (
        "POL-100234", "2026-03-14", "1250.00")
