"""The boxes laid over the item page's document: each value's box in percent of its page,
one rectangle per box shared by the values read from it, none for a page not shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.review.page_spots import PAD_POINTS, page_figures, percent_box
from bots.review.render import SCALE
from bots.review.value_rows import value_rows
from fixtures.hostile_pdfs import write_many_pages
from tests.review.review_helpers import CLAIM_PDF, extracted_claim


def test_a_box_is_its_share_of_the_page_padded_and_kept_on_it() -> None:
    spot = percent_box([100.0, 200.0, 300.0, 220.0], (600.0, 800.0))
    assert spot == {"x": f"{100 * (100 - PAD_POINTS) / 600:.3f}%",
                    "y": f"{100 * (200 - PAD_POINTS) / 800:.3f}%",
                    "width": f"{100 * (200 + 2 * PAD_POINTS) / 600:.3f}%",
                    "height": f"{100 * (20 + 2 * PAD_POINTS) / 800:.3f}%"}
    corner = percent_box([0.0, 0.0, 600.0, 800.0], (600.0, 800.0))
    assert corner == {"x": "0.000%", "y": "0.000%", "width": "100.000%", "height": "100.000%"}


def test_the_claims_values_share_boxes_on_the_real_page() -> None:
    claim = extracted_claim()
    values = {"claim": {k: v for k, v in claim.items() if not k.startswith("_")},
              "policy": {"coverage_limit": "5000.00"}}
    rows = value_rows(values, {"claim": claim["_provenance"], "policy": {
        "coverage_limit": {"sheet": "Register", "cell": "G11"}}})
    figures, marked = page_figures(str(CLAIM_PDF), [1], rows)
    (page,) = figures
    assert (page["width"], page["height"]) == (round(595.276 * SCALE), round(841.89 * SCALE))
    by_name = {row["name"]: row for row in marked}
    assert by_name["claim.amount"]["spot"] == by_name["claim.currency"]["spot"]
    assert by_name["policy.coverage_limit"]["spot"] is None  # a sheet cell: no box
    shared = next(spot for spot in page["spots"] if spot["id"] == by_name["claim.amount"]["spot"])
    assert shared["rows"] == [by_name["claim.amount"]["id"], by_name["claim.currency"]["id"]]
    assert float(shared["x"].rstrip("%")) == pytest.approx(100 * 198.0 / 595.276, abs=0.01)
    assert len({row["id"] for row in marked}) == len(marked)


def test_a_box_on_a_page_not_shown_has_no_rectangle(tmp_path: Path) -> None:
    pdf = write_many_pages(tmp_path / "long.pdf", 12)
    rows = value_rows({"doc": {"a": "1", "b": "2"}}, {"doc": {
        "a": {"page": 2, "box": [10, 10, 50, 20]}, "b": {"page": 11, "box": [10, 10, 50, 20]}}})
    figures, marked = page_figures(str(pdf), list(range(1, 11)), rows)
    assert [figure["number"] for figure in figures] == list(range(1, 11))
    assert [spot["rows"] for spot in figures[1]["spots"]] == [[marked[0]["id"]]]
    assert marked[1]["spot"] is None
    assert page_figures(str(tmp_path / "gone.pdf"), [1], rows)[0] == []
