"""Where a value sits: right, left, below, above a label, how far (`within`), and values that
wrap (`lines`, `until`, a hyphen, a continuation line), on PDFs drawn in each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.steps.pdf.locate_pdfs import drawn, read, refused


def test_each_direction_reads_its_own_neighbour(tmp_path: Path) -> None:
    path = drawn(tmp_path, [(50, 760, "Form 7"),
                            (50, 700, "Signed J. Doe"),
                            (50, 686, "Signature"), (300, 686, "EUR 120.00"), (400, 686, "Total"),
                            (50, 640, "Policy:"), (110, 640, "POL-100234"),
                            (50, 600, "Insured"), (50, 586, "Mary Major")])
    fields = {"signed": {"label": "Signature", "where": "above"},
              "total": {"label": "Total", "where": "left", "type": "amount"},
              "policy": {"label": "Policy", "where": "right"},
              "insured": {"label": "Insured", "where": "below"}}
    result = read(path, fields)
    assert (result["signed"], result["total"], result["currency"]) == (
        "Signed J. Doe", "120.00", "EUR")
    assert (result["policy"], result["insured"]) == ("POL-100234", "Mary Major")
    assert result["_provenance"]["total"]["rule"] == "label 'Total' left"
    assert all(entry["score"] == 1.0 for entry in result["_confidence"].values())


def test_left_stops_at_a_column_gap(tmp_path: Path) -> None:
    path = drawn(tmp_path, [(50, 760, "Form"), (50, 700, "Ref 9"), (250, 700, "77.10 Net")])
    assert read(path, {"net": {"label": "Net", "where": "left"}})["net"] == "77.10"


@pytest.mark.parametrize(("within", "expected"), [(None, "far"), (40, None), (200, "far")])
def test_within_limits_how_far_a_value_may_start(tmp_path: Path, within: float | None,
                                                 expected: str | None) -> None:
    path = drawn(tmp_path, [(50, 760, "Form"), (50, 700, "Name:"), (150, 700, "far")])
    rule: dict[str, object] = {"label": "Name:", "required": False}
    if within is not None:
        rule["within"] = within
    assert read(path, {"name": rule})["name"] == expected


def test_within_below_reaches_a_value_further_down(tmp_path: Path) -> None:
    path = drawn(tmp_path, [(50, 760, "Form"), (50, 700, "Remarks"), (50, 650, "Handle with care")])
    assert read(path, {"r": {"label": "Remarks", "where": "below", "required": False}})["r"] is None
    ruled = {"r": {"label": "Remarks", "where": "below", "within": 60}}
    assert read(path, ruled)["r"] == "Handle with care"


def test_until_ends_a_value_that_runs_over_lines(tmp_path: Path) -> None:
    path = drawn(tmp_path, [(50, 760, "Form"), (50, 700, "Address"),
                            (50, 688, "12 Long Street"), (50, 676, "Springfield 4410"),
                            (50, 664, "Phone 555 0101")])
    rule = {"label": "Address", "where": "below", "until": "Phone|Tel"}
    result = read(path, {"address": rule})
    assert result["address"] == "12 Long Street Springfield 4410"
    assert "Phone" not in result["address"] and result["_confidence"]["address"]["score"] == 1


def test_lines_reads_a_right_hand_value_onto_the_next_line(tmp_path: Path) -> None:
    path = drawn(tmp_path, [(50, 760, "Form"), (50, 700, "Address:"), (130, 700, "12 Long St"),
                            (130, 688, "Springfield"), (50, 660, "Phone:"), (130, 660, "555")])
    result = read(path, {"address": {"label": "Address:", "lines": 3}})
    assert result["address"] == "12 Long St Springfield"  # the Phone row is the next field's


def test_a_hyphen_wrap_is_read_not_cut(tmp_path: Path) -> None:
    path = drawn(tmp_path, [(50, 760, "Form"), (50, 700, "Claimant:"), (130, 700, "Ada Okonkwo-"),
                            (130, 688, "Adeyemi"), (50, 660, "Phone:"), (130, 660, "555")])
    result = read(path, {"claimant": {"label": "Claimant:"}})
    assert result["claimant"] == "Ada Okonkwo-Adeyemi"
    assert result["_confidence"]["claimant"]["score"] == 0.9
    assert "hyphen" in result["_confidence"]["claimant"]["reasons"][0]


def test_a_hyphen_wrap_below_is_read(tmp_path: Path) -> None:
    path = drawn(tmp_path, [(50, 760, "Form"), (50, 700, "Claimant"), (50, 688, "Ada Okonkwo-"),
                            (50, 676, "Adeyemi")])
    assert read(path, {"c": {"label": "Claimant", "where": "below"}})["c"] == "Ada Okonkwo-Adeyemi"


def test_a_value_cut_at_a_hyphen_goes_to_review(tmp_path: Path) -> None:
    path = drawn(tmp_path, [(50, 760, "Form"), (50, 700, "Claimant:"), (130, 700, "Ada Okonkwo-"),
                            (50, 660, "Phone:"), (130, 660, "555")])
    error = refused(path, {"claimant": {"label": "Claimant:"}, "phone": {"label": "Phone:"}})
    assert error.code == "LOW_CONFIDENCE"
    assert [problem["field"] for problem in error.details["problems"]] == ["claimant"]
    assert error.details["partial"]["claimant"] == "Ada Okonkwo-"
    assert error.details["partial"]["phone"] == "555"


def test_a_continuation_line_without_lines_is_a_doubt_not_a_silent_cut(tmp_path: Path) -> None:
    path = drawn(tmp_path, [(50, 760, "Form"), (50, 700, "Address:"), (130, 700, "12 Long St"),
                            (130, 688, "Springfield"), (50, 660, "Phone:"), (130, 660, "555")])
    error = refused(path, {"address": {"label": "Address:"}})
    assert error.code == "LOW_CONFIDENCE" and "Springfield" in error.message
    confident = read(path, {"address": {"label": "Address:", "lines": 1}})
    assert confident["address"] == "12 Long St"  # the author said one line: no doubt


def test_the_next_form_row_is_not_a_continuation(tmp_path: Path) -> None:
    path = drawn(tmp_path, [(50, 760, "Form"), (50, 700, "Name:"), (130, 700, "Ann Lee"),
                            (50, 688, "Phone:"), (130, 688, "555")])
    result = read(path, {"name": {"label": "Name:"}})
    assert result["name"] == "Ann Lee" and result["_confidence"]["name"]["reasons"] == []
