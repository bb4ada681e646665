"""A field rule's typing keys end to end: schema checks, doubts, identifiers from the recipe."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from reportlab.pdfgen.canvas import Canvas

from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import BusinessError
from bots.pdf.value_types import Conversion, ValueRule
from bots.steps.pdf.extract_fields import Params, extract_fields

VAT = {"pattern": r"([A-Z]{2})\s*(\d[\d ]{7,12})", "format": "{1}{2}", "remove_spaces": True}


def rule(**keys: Any) -> ValueRule:
    return ValueRule.model_validate(keys)


def test_convert_with_doubts_gives_values_doubts_and_defaults() -> None:
    amount = rule(type="amount", default_currency="CAD")
    assert amount.convert_with_doubts("total", "$ 1,250.00") == Conversion(
        {"total": "1250.00", "currency": "CAD"}, ())
    assert amount.convert_with_doubts("total", "1,250.00") == Conversion(
        {"total": "1250.00", "currency": "CAD"}, (), frozenset({"currency"}))
    dated = rule(type="date").convert_with_doubts("due", "03/04/2026")
    assert dated.values == {"due": "2026-03-04"} and "ambiguous date" in dated.doubts[0]
    assert rule(type="date").convert("due", "03/04/2026") == {"due": "2026-03-04"}


def test_a_bare_dollar_without_a_settling_default_is_a_doubt_not_an_error() -> None:
    read = rule(type="amount").convert_with_doubts("total", "$12.00")
    assert read.values == {"total": "12.00", "currency": "USD"}
    assert read.doubts[0].startswith("bare $ read as USD by default")


@pytest.mark.parametrize(("keys", "text", "value"), [
    ({"type": "date", "format": "D MMMM YYYY", "languages": ["fr"]}, "1er juillet 2025",
     "2025-07-01"),
    ({"type": "date", "format": ["DD.MM.YYYY", "D. MMMM YYYY"]}, "3. März 2025", "2025-03-03"),
    ({"type": "currency"}, "Devise : €", None),
    ({"type": "currency", "clean": {"remove": ["^Devise\\s*:"]}}, "Devise : €", "EUR"),
    ({"type": "currency", "default_currency": "CAD"}, "$", "CAD"),
    ({"type": "checkbox"}, "☒", "true"),
    ({"type": "checkbox"}, "Off", "false"),
    ({"type": "text", "clean": {"strip": "."}}, "Okonkwo.", "Okonkwo"),
    ({"type": "policy_number", "clean": {"remove": ["^n[°º]\\s*"]}}, "n° POL 100234",
     "POL-100234"),
    ({"type": "choice", "choices": {"Water damage": "WTR", "Fire": "FIR"}, "match": "fuzzy"},
     "Water dmg", "WTR"),
    ({"type": "amount", "decimal": ",", "thousands": ".", "clean": {"remove": ["TTC"]}},
     "1.278,61 € TTC", "1278.61"),
])
def test_each_type_reads_its_text(keys: dict[str, Any], text: str, value: str | None) -> None:
    if value is None:
        with pytest.raises(ValueError, match="not a currency"):
            rule(**keys).convert("x", text)
        return
    assert rule(**keys).convert("x", text)["x"] == value


@pytest.mark.parametrize(("keys", "fragment"), [
    ({"type": "date", "format": "DD.MM"}, "needs a day"),
    ({"type": "date", "languages": ["xx"]}, "unknown language 'xx'"),
    ({"type": "amount", "default_currency": "EURO"}, "ISO 4217"),
    ({"type": "amount", "thousands": "_"}, "thousands"),
    ({"type": "text", "match": "fuzzy"}, "only apply to `type: choice`"),
    ({"type": "choice", "choices": {"a": "A"}, "min_score": 120}, "less than or equal to 100"),
    ({"type": "date", "default_currency": "EUR"}, "default_currency"),
    ({"type": "Vat-Id"}, "lower case"),
    ({"type": "text", "clean": {"remove": ["("]}}, "not a regular expression"),
])
def test_bad_typing_keys_are_refused_saying_what_to_write(keys: dict[str, Any],
                                                          fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        rule(**keys)


def params(fields: dict[str, Any], identifiers: dict[str, Any] | None = None) -> Params:
    layout = {"name": "eu", "when": "Invoice", "fields": fields}
    return Params.model_validate({"path": "x.pdf", "layouts": [layout],
                                  "identifiers": identifiers or {}})


def test_a_type_that_is_neither_built_in_nor_declared_is_refused_at_its_own_key() -> None:
    with pytest.raises(ValidationError) as raised:
        params({"vat": {"label": "VAT", "type": "vat_idd"}}, {"vat_id": VAT})
    [error] = raised.value.errors()
    assert error["loc"] == ("layouts", 0, "fields", "vat", 0, "type")
    assert "type 'vat_idd' is neither a built-in type" in error["msg"]
    assert "did you mean 'vat_id'?" in error["msg"]


def test_a_rule_outside_a_step_cannot_convert_an_undeclared_type() -> None:
    loose = rule(type="vat_id")  # no step declared it: nothing to check it against yet
    with pytest.raises(ValueError, match="not declared under the step's `identifiers`"):
        loose.convert("vat", "DE123456789")


@pytest.mark.parametrize(("identifiers", "fragment"), [
    ({"date": VAT}, "would hide the built-in type date"),
    ({"vat_id": {**VAT, "format": "{3}"}}, "uses {3} but the pattern has 2 group"),
    ({"vat_id": {**VAT, "pattern": "([A-Z"}}, "not a regular expression"),
    ({"vat_id": {**VAT, "example": "12345"}}, "'12345' is not a valid identifier"),
    ({"vat_id": {**VAT, "colour": "red"}}, "Extra inputs"),
])
def test_bad_identifier_declarations_are_refused(identifiers: dict[str, Any],
                                                 fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment.replace("{", r"\{")):
        params({"vat": {"label": "VAT"}}, identifiers)


def test_policy_number_is_predefined_and_may_be_redefined() -> None:
    field = {"policy": {"label": "Policy", "type": "policy_number"}}
    predefined = params(field).layouts[0].fields["policy"][0]
    assert predefined.convert("policy", "pol 100234") == {"policy": "POL-100234"}
    redefined = params(field, {"policy_number": {"pattern": r"(\d{3})-(\d{4})",
                                                 "format": "P{1}{2}"}})
    assert redefined.layouts[0].fields["policy"][0].convert("policy", "123-4567") == {
        "policy": "P1234567"}
    with pytest.raises(ValueError, match="is not a valid policy_number"):
        redefined.layouts[0].fields["policy"][0].convert("policy", "POL-100234")


def drawn(tmp_path: Path, lines: list[str]) -> Path:
    """A one-page PDF, one label-and-value line each, 20 points apart."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.setFont("Helvetica", 10)
    for number, line in enumerate(lines):
        canvas.drawString(50, 780 - 20 * number, line)
    canvas.save()
    path = tmp_path / "invoice.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def run(path: Path, fields: dict[str, Any], identifiers: dict[str, Any]) -> dict[str, Any]:
    checked = Params.model_validate({"path": str(path), "identifiers": identifiers,
                                     "layouts": [{"name": "eu", "when": "Facture",
                                                  "fields": fields}]})
    context = StepContext(run_id="t", item=WorkItem(key="k", name=path.name), step_id="doc")
    return extract_fields.function(checked, context)


def test_a_document_nobody_here_wrote_reads_with_recipe_types(tmp_path: Path) -> None:
    path = drawn(tmp_path, ["Facture / Invoice", "N° TVA: fr 12 345 678 901",
                            "Date: 1er juillet 2025", "Total TTC: 1\u00a0278,61 €",
                            "Devise: CHF", "Urgent: X"])
    found = run(path, {
        "vat": {"label": "N° TVA:", "type": "vat_id"},
        "date": {"label": "Date:", "type": "date", "format": "D MMMM YYYY"},
        # the text layer gives the no-break space as a plain one: French figures declare it
        "total": {"label": "Total TTC:", "type": "amount", "decimal": ",", "thousands": " ",
                  "currency_field": "total_currency"},
        "currency": {"label": "Devise:", "type": "currency"},
        "urgent": {"label": "Urgent:", "type": "checkbox"},
    }, {"vat_id": {**VAT, "pattern": r"([A-Z]{2})\s*(\d[\d ]{9,14})"}})
    assert (found["vat"], found["date"], found["total"], found["total_currency"],
            found["currency"], found["urgent"]) == (
        "FR12345678901", "2025-07-01", "1278.61", "EUR", "CHF", "true")


def test_a_quantity_beside_a_price_is_never_keyed_as_one_amount(tmp_path: Path) -> None:
    path = drawn(tmp_path, ["Facture", "Line: 1 278.61", "Total: 278.61 EUR"])
    fields = {"line": {"label": "Line:", "type": "amount", "default_currency": "EUR"},
              "total": {"label": "Total:", "type": "amount"}}
    with pytest.raises(BusinessError) as raised:
        run(path, fields, {})
    assert raised.value.code == "FIELD_INVALID"
    assert "reads two numbers, '1' and '278.61'" in raised.value.message
    assert 'thousands: " "' in raised.value.message
