"""Identifier types from the recipe: pattern, canonical format, spacing, case, check digits."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bots.values.checksums import iban_valid, luhn_valid
from bots.values.identifiers import PREDEFINED, IdentifierRule

IBAN = {"pattern": r"([A-Z]{2}\d{2}(?:\s*[A-Z0-9]){11,30})", "format": "{1}",
        "remove_spaces": True, "check": "iban"}


def ident(**keys: Any) -> IdentifierRule:
    return IdentifierRule.model_validate(keys)


@pytest.mark.parametrize(("keys", "text", "value"), [
    ({"pattern": r"([A-Z]{2})\s*(\d[\d ]{7,12})", "format": "{1}{2}", "remove_spaces": True},
     "de 123 456 789", "DE123456789"),
    ({"pattern": r"MG[\s-]*(\d{4})[\s-]*(\d{5})", "format": "MG-{1}-{2}"}, "mg 2024 00417",
     "MG-2024-00417"),
    ({"pattern": r"(?P<year>\d{4})/(?P<seq>\d+)", "format": "INV-{year}-{seq}"}, "2025/0042",
     "INV-2025-0042"),
    ({"pattern": r"[a-z]+-\d+", "upper": False}, "Ref-12", "Ref-12"),
    (IBAN, "DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    (IBAN, "gb82 west 1234 5698 7654 32", "GB82WEST12345698765432"),
])
def test_identifiers_take_their_canonical_form(keys: dict[str, Any], text: str,
                                               value: str) -> None:
    assert ident(**keys).read(text) == (value, ())


def test_the_whole_text_must_match_and_case_can_be_strict() -> None:
    vat = ident(pattern=r"([A-Z]{2})(\d{9})", example="DE123456789")
    with pytest.raises(ValueError, match="expected text matching .* e.g. 'DE123456789'"):
        vat.read("DE123456789 (head office)")
    with pytest.raises(ValueError, match="not a valid identifier"):
        ident(pattern=r"[A-Z]{2}\d{9}", ignore_case=False).read("de123456789")


@pytest.mark.parametrize("text", ["DE89 3704 0044 0532 0130 01", "DE88 3704 0044 0532 0130 00"])
def test_a_misread_digit_fails_the_check_digits(text: str) -> None:
    with pytest.raises(ValueError, match="fails its iban check digits"):
        ident(**IBAN).read(text)


def test_the_check_digit_rules_themselves() -> None:
    assert iban_valid("FR14 2004 1010 0505 0001 3M02 606")
    assert not iban_valid("FR14 2004 1010 0505 0001 3M02 607")
    assert not iban_valid("12")
    assert luhn_valid("4539 1488 0343 6467") and not luhn_valid("4539 1488 0343 6468")
    assert luhn_valid("79927398713") and not luhn_valid("7")
    with pytest.raises(ValueError, match="fails its luhn check"):
        ident(pattern=r"[\d ]{12,19}", remove_spaces=True, check="luhn").read(
            "4539 1488 0343 6468")


def test_the_predefined_policy_number_keeps_its_form() -> None:
    policy = PREDEFINED["policy_number"]
    for text in [" pol 100234 ", "POL100234", "POL_100234", "POL - 100234"]:
        assert policy.read(text, "policy_number") == ("POL-100234", ())
    with pytest.raises(ValueError, match="is not a valid policy_number"):
        policy.read("POL-12", "policy_number")


@pytest.mark.parametrize(("keys", "fragment"), [
    ({"pattern": "(a"}, "not a regular expression"),
    ({"pattern": "(a)", "format": "{2}"}, "uses {2} but the pattern has 1 group"),
    ({"pattern": "(a)", "format": "{name}"}, "uses {name}"),
    ({"pattern": r"\d+", "example": "abc"}, "'abc' is not a valid identifier"),
    ({**IBAN, "example": "DE89 3704 0044 0532 0130 01"}, "check digits"),
    ({"pattern": "x", "check": "crc"}, "'iban' or 'luhn'"),
])
def test_bad_declarations_are_refused_when_the_recipe_loads(keys: dict[str, Any],
                                                            fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment.replace("{", r"\{")):
        ident(**keys)
