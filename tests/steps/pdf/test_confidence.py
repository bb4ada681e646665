"""Confidence per field: explained scores, fuzzy labels, far values, the hook for cross-checks
and the step's min_confidence threshold (LOW_CONFIDENCE, never keyed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bots.pdf.confidence import check_confidence, lower, scored
from bots.pdf.find_label import LabelHit
from bots.pdf.lines import Line, Page, Word
from bots.pdf.locate import near
from bots.pdf.rules import FieldRule
from tests.steps.pdf.locate_pdfs import drawn, read, refused

PAGE = [(50, 760, "Form 9"), (50, 700, "Pol1cy No:"), (130, 700, "POL-100234"),
        (50, 680, "Name:"), (480, 680, "Ann Lee")]


def test_a_score_is_the_product_of_its_doubts_with_their_reasons() -> None:
    assert scored([]) == {"score": 1.0, "reasons": []}
    assert scored([("fuzzy", 0.85), ("far", 0.9)]) == {"score": 0.77, "reasons": ["fuzzy", "far"]}


def test_the_cross_check_hook_lowers_a_field_and_says_why(tmp_path: Path) -> None:
    result: dict[str, Any] = {"total": "125.00", "_layout": "x",
                              "_confidence": {"total": {"score": 1.0, "reasons": []}}}
    lower(result, "total", 0.5, "the lines add up to 120.00")
    assert result["_confidence"]["total"] == {"score": 0.5,
                                              "reasons": ["the lines add up to 120.00"]}
    with pytest.raises(Exception) as raised:
        check_confidence(tmp_path / "x.pdf", result, 0.8)
    assert getattr(raised.value, "code", None) == "LOW_CONFIDENCE"
    assert check_confidence(tmp_path / "x.pdf", result, 0.4) is result


def test_a_fuzzy_label_is_found_only_when_asked_and_less_sure(tmp_path: Path) -> None:
    path = drawn(tmp_path, PAGE)
    exact = refused(path, {"policy": {"label": "Policy No:"}})
    assert exact.code == "FIELD_MISSING"  # today's comparison stays the default
    result = read(path, {"policy": {"label": "Policy No:", "label_match": "fuzzy"}})
    assert result["policy"] == "POL-100234"
    assert result["_confidence"]["policy"]["score"] == 0.85
    assert "fuzzily" in result["_confidence"]["policy"]["reasons"][0]


def test_an_exact_label_is_preferred_to_a_fuzzy_one(tmp_path: Path) -> None:
    path = drawn(tmp_path, [*PAGE, (50, 640, "Policy No:"), (130, 640, "POL-999999")])
    result = read(path, {"policy": {"label": "Policy No:", "label_match": "fuzzy"}})
    assert result["policy"] == "POL-999999" and result["_confidence"]["policy"]["score"] == 1.0


def test_an_unrelated_label_is_not_a_fuzzy_match(tmp_path: Path) -> None:
    path = drawn(tmp_path, PAGE)
    error = refused(path, {"x": {"label": "Claim Ref:", "label_match": "fuzzy"}})
    assert error.code == "FIELD_MISSING"


def test_a_value_far_from_its_label_is_less_sure_unless_within_says_so(tmp_path: Path) -> None:
    path = drawn(tmp_path, PAGE)
    loose = read(path, {"name": {"label": "Name:"}})
    assert loose["_confidence"]["name"]["score"] == 0.9
    assert "pt from its label" in loose["_confidence"]["name"]["reasons"][0]
    ruled = read(path, {"name": {"label": "Name:", "within": 500}})
    assert ruled["_confidence"]["name"]["score"] == 1.0


@pytest.mark.parametrize(("threshold", "sent_to_review"), [(0.8, False), (0.9, True), (0, False)])
def test_min_confidence_decides_what_goes_to_review(tmp_path: Path, threshold: float,
                                                   sent_to_review: bool) -> None:
    path = drawn(tmp_path, PAGE)
    fields = {"policy": {"label": "Policy No:", "label_match": "fuzzy"}}
    if not sent_to_review:
        assert read(path, fields, min_confidence=threshold)["policy"] == "POL-100234"
        return
    error = refused(path, fields, min_confidence=threshold)
    assert error.code == "LOW_CONFIDENCE" and "'policy'" in error.message
    assert error.details["partial"]["policy"] == "POL-100234"  # kept for the reviewer
    assert error.details["problems"] == [
        {"field": "policy", "code": "LOW_CONFIDENCE", "text": "POL-100234", "page": 1,
         "message": error.details["problems"][0]["message"]}]


def test_a_cut_value_is_never_keyed_silently_but_passes_with_the_check_off(tmp_path: Path
                                                                          ) -> None:
    path = drawn(tmp_path, [(50, 760, "Form"), (50, 700, "Claimant:"), (130, 700, "Okonkwo-")])
    assert refused(path, {"c": {"label": "Claimant:"}}).code == "LOW_CONFIDENCE"
    result = read(path, {"c": {"label": "Claimant:"}}, min_confidence=0)
    assert result["_confidence"]["c"]["score"] == 0.6  # still recorded for whoever reads it


def test_a_value_from_an_unsure_ocr_word_is_as_sure_as_that_word(tmp_path: Path) -> None:
    label = Word("Policy:", 50, 100, 85, 110)
    line = Line(1, [label, Word("POL-1OO234", 90, 100, 150, 110, 0.42)])
    hit = LabelHit(Page(1, 600, 800, [line]), 0, [label])
    found = near(hit, FieldRule.model_validate({"label": "Policy:"}))
    assert found is not None and found.doubts == (
        ("OCR read 'POL-1OO234' with confidence 0.42", 0.42),)
    sure = Line(1, [label, Word("POL-100234", 90, 100, 150, 110, 0.95)])
    rule = FieldRule.model_validate({"label": "Policy:"})
    found = near(LabelHit(Page(1, 600, 800, [sure]), 0, [label]), rule)
    assert found is not None and found.doubts == ()


def test_a_value_running_off_the_page_is_doubted(tmp_path: Path) -> None:
    page = [(50, 760, "Form"), (450, 700, "Insurer:"), (500, 700, "Northwind Mutual Insurance")]
    error = refused(drawn(tmp_path, page), {"insurer": {"label": "Insurer:"}})
    assert error.code == "LOW_CONFIDENCE" and "page's edge" in error.message
