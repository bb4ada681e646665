"""Values by pattern (near a label or anywhere), constants, templates, a currency's own rule,
and `when:` on the order a person reads, on PDFs drawn in each test."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from reportlab.pdfgen.canvas import Canvas

from bots.steps.pdf.extract_fields import Params
from tests.steps.pdf.locate_pdfs import drawn, read, refused

INVOICE = [(50, 760, "Form ACME Supplies"), (50, 740, "Invoice n° 2025-0042."),
           (350, 740, "Date 03.02.2025"), (50, 700, "Total due"), (150, 700, "1 234,50"),
           (50, 680, "First name"), (150, 680, "Ada"), (50, 666, "Last name"),
           (150, 666, "Okafor"), (50, 640, "Amount"), (150, 640, "$"), (170, 640, "120"),
           (220, 640, "cents"), (260, 640, "45")]


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"Invoice\s+(?:No|n°)\.?\s*([\d-]+)", "2025-0042"),         # first group
    (r"(?P<value>\d{4}-\d{4})", "2025-0042"),                      # named group
    (r"\d{2}\.\d{2}\.\d{4}", "03.02.2025"),                        # whole match
])
def test_a_pattern_alone_finds_the_first_match_in_reading_order(
        tmp_path: Path, pattern: str, expected: str) -> None:
    result = read(drawn(tmp_path, INVOICE), {"v": {"pattern": pattern}})
    assert result["v"] == expected
    assert result["_provenance"]["v"]["page"] == 1
    assert result["_provenance"]["v"]["rule"].startswith("anywhere pattern")


def test_a_pattern_near_a_label_reads_only_what_the_label_points_at(tmp_path: Path) -> None:
    page = [(50, 760, "Form"), (50, 700, "Ref: see no. 77"), (50, 680, "Order: PO-5512 (urgent)")]
    result = read(drawn(tmp_path, page), {"order": {"label": "Order:", "pattern": r"PO-\d+"}})
    assert result["order"] == "PO-5512"
    missing = refused(drawn(tmp_path, page), {"order": {"label": "Ref:", "pattern": r"PO-\d+"}})
    assert missing.code == "FIELD_MISSING"


def test_a_pattern_on_another_page_or_region_is_not_taken(tmp_path: Path) -> None:
    first = [(50, 760, "Form"), (350, 700, "REF-1")]
    second = [(50, 700, "REF-2")]
    path = drawn(tmp_path, first, second)
    assert read(path, {"r": {"pattern": r"REF-\d"}})["r"] == "REF-1"
    assert read(path, {"r": {"pattern": r"REF-\d", "page": 2}})["r"] == "REF-2"
    assert read(path, {"r": {"pattern": r"REF-\d", "region": [0, 0, 0.5, 1]}})["r"] == "REF-2"


def test_constants_and_templates_join_fields_of_the_layout(tmp_path: Path) -> None:
    fields = {
        "claimant": {"template": "{first_name} {last_name}"},   # before the fields it names
        "first_name": {"label": "First name"},
        "last_name": {"label": "Last name"},
        "dollars": {"label": "Amount", "pattern": r"(\d+)"},
        "cents": {"label": "cents"},
        "amount": {"template": "{dollars}.{cents}", "type": "amount",
                   "default_currency": "USD"},
        "country": {"value": "US"},
    }
    result = read(drawn(tmp_path, INVOICE), fields)
    assert (result["claimant"], result["amount"], result["currency"]) == (
        "Ada Okafor", "120.45", "USD")
    assert result["country"] == "US"
    assert result["_provenance"]["country"] == {"text": "US", "rule": "value 'US'"}
    assert result["_provenance"]["claimant"]["rule"] == "template '{first_name} {last_name}'"


def test_a_template_in_a_recipe_passes_check(tmp_path: Path) -> None:
    """`{name}` is no recipe reference (`${name}` would be one, to an earlier step)."""
    from bots.recipe import load_recipe

    recipe = tmp_path / "letters.yaml"
    recipe.write_text(
        "recipe: letters\nsource: {folder: " + str(tmp_path) + "}\nsteps:\n"
        "  - id: letter\n    uses: pdf.extract_fields\n    with:\n"
        "      path: ${item.path}\n      layouts:\n        - name: any\n"
        "          when: Letter\n          fields:\n"
        "            first: {label: First}\n            last: {label: Last}\n"
        "            name: {template: '{first} {last}'}\n", encoding="utf-8")
    assert load_recipe(str(recipe)).name == "letters"


def test_a_template_whose_part_is_missing_is_missing(tmp_path: Path) -> None:
    fields = {"first": {"label": "Nickname", "required": False},
              "name": {"template": "${first} X", "missing_code": "NAME_MISSING"}}
    error = refused(drawn(tmp_path, INVOICE), fields)
    assert error.code == "NAME_MISSING" and "template" in error.message


@pytest.mark.parametrize(("fields", "message"), [
    ({"a": {"template": "${nobody}"}}, "unknown field(s) nobody"),
    ({"a": {"template": "${b}"}, "b": {"template": "${a}"}}, "circle: a -> b -> a"),
    ({"a": {"template": "${a}"}}, "circle: a -> a"),
    ({"a": {"pattern": "(unclosed"}}, "`pattern` '(unclosed' is not a regular expression"),
    ({"a": {"until": "[", "label": "A"}}, "`until` '[' is not a regular expression"),
    ({"a": {"value": "X", "label": "A"}}, "exactly one"),
    ({"a": {"pattern": "x", "value": "X"}}, "`pattern` goes with"),
    ({"a": {"within": 0, "label": "A"}}, "greater than 0"),
])
def test_bad_location_rules_are_refused_when_the_recipe_loads(fields: dict[str, Any],
                                                              message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Params.model_validate({"path": "x.pdf",
                               "layouts": [{"name": "t", "when": "T", "fields": fields}]})
    assert message in str(raised.value)


@pytest.mark.parametrize("order", [["currency", "total"], ["total", "currency"]])
def test_a_currency_found_by_its_own_rule_is_never_overwritten(tmp_path: Path,
                                                               order: list[str]) -> None:
    page = [(50, 760, "Form"), (50, 700, "Total"), (150, 700, "1234.50"),
            (50, 680, "Currency"), (150, 680, "CHF")]
    rules = {"currency": {"label": "Currency"},
             "total": {"label": "Total", "type": "amount", "default_currency": "EUR"}}
    result = read(drawn(tmp_path, page), {name: rules[name] for name in order})
    assert (result["total"], result["currency"]) == ("1234.50", "CHF")


def test_an_amount_contradicting_the_currency_rule_goes_to_review(tmp_path: Path) -> None:
    page = [(50, 760, "Form"), (50, 700, "Total"), (150, 700, "GBP 10.00"),
            (50, 680, "Currency"), (150, 680, "CHF")]
    rules = {"total": {"label": "Total", "type": "amount"}, "currency": {"label": "Currency"}}
    error = refused(drawn(tmp_path, page), rules)
    assert error.code == "LOW_CONFIDENCE" and "'GBP'" in error.message
    assert error.details["partial"]["currency"] == "CHF"


def test_when_matches_the_order_a_person_reads_not_the_drawing_order(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True, pageCompression=0)
    canvas.setFont("Helvetica", 10)
    # drawn bottom line first and each line right to left: the content stream says
    # "Form 12-B / Claim Mutual Harbor", a person reads "Harbor Mutual Claim / Form 12-B"
    for x, y, text in [(150, 680, "12-B"), (50, 680, "Form"), (200, 700, "Claim"),
                       (120, 700, "Mutual"), (50, 700, "Harbor"), (50, 660, "Ref:"),
                       (90, 660, "R-1")]:
        canvas.drawString(x, y, text)
    canvas.save()
    path = tmp_path / "reordered.pdf"
    path.write_bytes(buffer.getvalue())
    assert b"(12-B) Tj" in buffer.getvalue().split(b"(Harbor)")[0]  # really drawn out of order
    result = read(path, {"ref": {"label": "Ref:"}}, when="Harbor Mutual Claim Form 12-B")
    assert result["_layout"] == "test" and result["ref"] == "R-1"
    error = refused(path, {"ref": {"label": "Ref:"}}, when="Form 12-B Claim Mutual")
    assert error.code == "UNKNOWN_LAYOUT"


def test_the_currency_keeps_its_own_provenance(tmp_path: Path) -> None:
    page = [(50, 760, "Form"), (50, 700, "Currency"), (150, 700, "CHF"),
            (50, 680, "Total"), (150, 680, "1234.50")]
    rules = {"currency": {"label": "Currency"},
             "total": {"label": "Total", "type": "amount", "default_currency": "EUR"}}
    result = read(drawn(tmp_path, page), rules)
    assert result["_provenance"]["currency"]["rule"] == "label 'Currency' right"
    assert result["_confidence"]["currency"]["score"] == 1.0


def test_a_pattern_picks_part_of_a_form_field(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(50, 760, "Form 5")
    canvas.acroForm.textfield(name="ref", value="Ref. no. AB-7781 (copy)", x=50, y=700,
                              width=200, height=16)
    canvas.save()
    path = tmp_path / "form.pdf"
    path.write_bytes(buffer.getvalue())
    result = read(path, {"ref": {"form_field": "ref", "pattern": r"[A-Z]{2}-\d{4}"}})
    assert result["ref"] == "AB-7781"
    assert result["_provenance"]["ref"]["rule"] == "form_field 'ref' pattern '[A-Z]{2}-\\\\d{4}'"


def test_until_ends_a_right_hand_value_on_its_own_line(tmp_path: Path) -> None:
    page = [(50, 760, "Form"), (50, 700, "Remarks: roof leak since May Phone 555 0101")]
    result = read(drawn(tmp_path, page), {"r": {"label": "Remarks:", "until": r"\bPhone\b"}})
    assert result["r"] == "roof leak since May"


def test_a_pattern_alone_reads_a_sentence_that_wraps(tmp_path: Path) -> None:
    letter = [(50, 760, "Form letter"), (50, 700, "Dear Sir, the water damage happened on 14"),
              (50, 688, "March 2025 in the kitchen. Our policy MG-2024-"),
              (50, 676, "00417 covers it.")]
    path = drawn(tmp_path, letter)
    result = read(path, {
        "loss_date": {"pattern": r"on (?P<value>\d{1,2} [A-Z][a-z]+ \d{4})", "type": "date"},
        "policy": {"pattern": r"MG-\d{4}-\d{5}"},
        "room": {"pattern": r"in the (\w+)"}})
    assert (result["loss_date"], result["policy"], result["room"]) == (
        "2025-03-14", "MG-2024-00417", "kitchen")
    assert result["_provenance"]["loss_date"]["text"].count("\n") == 1  # both lines kept
