"""documents-intake on the documents nobody here wrote: no silent wrong value, and a floor of
fields right per layout (measured with `python -m bench.doc_accuracy`; raise it as rules and
the toolkit improve, never lower it to make a change pass)."""

from __future__ import annotations

from typing import Any

import pytest

from bench.doc_accuracy import DOCUMENTS, judge, measure
from bench.doc_outcome import Reading

# fields right per layout at the last measurement (of: fields in the truth)
FLOORS = {"letter": 24, "bilingual": 24, "belgian": 14, "checkbox": 18, "acroform": 21,
          "scan": 0, "invoice": 369, "einvoice": 15}


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return measure("documents-intake", DOCUMENTS)


def test_every_document_was_read_with_its_own_layout_or_flagged(result: dict[str, Any]) -> None:
    assert len(result["documents"]) >= 6 * 3
    for document in result["documents"]:
        assert document["chosen_layout"] in (document["layout"], None), document["file"]
        if document["chosen_layout"] is None:
            assert document["problems"], document["file"]


def test_no_wrong_value_is_silent(result: dict[str, Any]) -> None:
    silent = [(document["file"], field["field"], field["value"], field["truth"])
              for document in result["documents"] for field in document["fields"]
              if field["bucket"] == "silent_wrong"]
    assert not silent, f"wrong values nobody flagged: {silent}"


@pytest.mark.parametrize("layout", sorted(FLOORS))
def test_fields_right_not_below_the_floor(result: dict[str, Any], layout: str) -> None:
    row = result["layouts"][layout]
    assert row["right"] >= FLOORS[layout], (layout, row)


def test_a_wrong_value_counts_as_silent_unless_a_problem_names_it() -> None:
    truth = {"amount": "1278.61", "lines": [{"quantity": "1", "unit_price": "278.61"}]}
    read = {"amount": "1278.61", "lines": [{"quantity": 1, "unit_price": "1278.61"}]}
    buckets = {v.field: v.bucket for v in judge(Reading(read, "x", 0.0), truth)}
    assert buckets == {"amount": "right", "lines[0].quantity": "right",
                       "lines[0].unit_price": "silent_wrong"}
    flagged = Reading(read, "x", 0.0, [{"field": "lines", "code": "LOW_CONFIDENCE"}])
    assert {v.field: v.bucket for v in judge(flagged, truth)}["lines[0].unit_price"] == "flagged"
    unreadable = Reading({}, None, 0.0, [{"field": None, "code": "NO_TEXT_LAYER"}])
    assert {v.bucket for v in judge(unreadable, truth)} == {"flagged"}
    assert {v.bucket for v in judge(Reading({}, "x", 0.0), truth)} == {"missing"}
