"""Every problem of a document at once: one error listing each failing field, with what was
read kept for the reviewer (and, through the Outcome, for correction)."""

from __future__ import annotations

from pathlib import Path

from bots.kernel.outcome import Outcome
from tests.steps.pdf.locate_pdfs import drawn, read, refused

PAGE = [(50, 760, "Form 3"), (50, 700, "Policy:"), (130, 700, "POL-100234"),
        (50, 680, "Date:"), (130, 680, "31.02.2026"), (50, 660, "Name:"), (130, 660, "Ann Lee"),
        (50, 640, "Amount:"), (130, 640, "EUR 1250.00")]
FIELDS = {"policy": {"label": "Policy:", "type": "policy_number"},
          "loss_date": {"label": "Date:", "type": "date"},
          "phone": {"label": "Phone:", "missing_code": "PHONE_MISSING"},
          "name": {"label": "Name:"},
          "amount": {"label": "Amount:", "type": "amount"}}


def test_every_failing_field_is_reported_in_one_error(tmp_path: Path) -> None:
    error = refused(drawn(tmp_path, PAGE), FIELDS)
    assert error.code == "FIELD_INVALID"  # the first problem's, in the layout's field order
    problems = error.details["problems"]
    assert [(p["field"], p["code"]) for p in problems] == [
        ("loss_date", "FIELD_INVALID"), ("phone", "PHONE_MISSING")]
    assert problems[0]["page"] == 1 and problems[0]["text"] == "31.02.2026"
    assert "2 problems" in error.message and "loss_date FIELD_INVALID" in error.message
    assert "phone PHONE_MISSING" in error.message and "'31.02.2026'" in error.message
    assert error.message.startswith("drawn.pdf (layout test): ")


def test_what_was_read_is_kept_with_layout_provenance_and_confidence(tmp_path: Path) -> None:
    partial = refused(drawn(tmp_path, PAGE), FIELDS).details["partial"]
    assert partial["policy"] == "POL-100234" and partial["name"] == "Ann Lee"
    assert (partial["amount"], partial["currency"]) == ("1250.00", "EUR")
    assert partial["loss_date"] is None and partial["phone"] is None
    assert partial["_layout"] == "test"
    assert set(partial["_provenance"]) == {"policy", "name", "amount", "currency"}
    assert partial["_confidence"]["name"] == {"score": 1.0, "reasons": []}


def test_one_problem_keeps_its_own_message(tmp_path: Path) -> None:
    fields = {name: rule for name, rule in FIELDS.items() if name != "loss_date"}
    error = refused(drawn(tmp_path, PAGE), fields)
    assert error.code == "PHONE_MISSING" and "problems:" not in error.message
    assert error.message.startswith("drawn.pdf (layout test): field 'phone' not found")
    assert error.details["field"] == "phone" and len(error.details["problems"]) == 1


def test_doubtful_fields_join_the_other_problems(tmp_path: Path) -> None:
    page = [*PAGE, (50, 620, "Claimant:"), (130, 620, "Okonkwo-")]
    error = refused(drawn(tmp_path, page), {**FIELDS, "claimant": {"label": "Claimant:"}})
    assert error.code == "FIELD_INVALID"
    assert [p["code"] for p in error.details["problems"]] == [
        "FIELD_INVALID", "PHONE_MISSING", "LOW_CONFIDENCE"]
    assert error.details["problems"][2]["field"] == "claimant"
    assert "3 problems" in error.message and "hyphen" in error.message


def test_the_outcome_keeps_the_partial_values_and_the_problems(tmp_path: Path) -> None:
    error = refused(drawn(tmp_path, PAGE), FIELDS)
    outcome = Outcome.failed(error.as_dict(), "doc", {}, {})
    assert outcome.code == "FIELD_INVALID"
    assert outcome.outputs["doc"]["_layout"] == "test"
    assert outcome.values["doc"]["name"] == "Ann Lee"
    assert len(outcome.details["problems"]) == 2 and outcome.details["layout"] == "test"


def test_a_document_with_no_problem_raises_nothing(tmp_path: Path) -> None:
    fields = {"policy": FIELDS["policy"], "name": FIELDS["name"]}
    assert read(drawn(tmp_path, PAGE), fields)["policy"] == "POL-100234"
