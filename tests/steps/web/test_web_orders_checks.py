"""The pure parts of order entry: amount checks with tolerances, red-text codes, per-element
resolution of a repeated block (no browser)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from bots.kernel.errors import BusinessError
from bots.web.rejections import ErrorCode, rejection
from bots.web.repeat import RepeatBlock
from bots.web.verify import ColumnCheck, check_record, matches, parse_amount

RULES = [ErrorCode(text="does not exist", code="PRODUCT_NOT_FOUND"),
         ErrorCode(text="IN STOCK FOR", code="QUANTITY_OVER_STOCK")]


def price(equals: Any, tolerance: Any = None) -> ColumnCheck:
    return ColumnCheck.model_validate({"equals": equals, "tolerance": tolerance,
                                       "code": "PRICE_MISMATCH"})


@pytest.mark.parametrize(("shown", "amount"), [
    ("12.40", Decimal("12.40")), ("1,234.50 EUR", Decimal("1234.50")),
    ("EUR 8.75", Decimal("8.75")), ("-3", Decimal(-3)), ("€ 2.10", Decimal("2.10")),
    ("SO-000001", None), ("12.4.1", None), ("", None), ("1,23", None)])
def test_amounts_are_read_from_screen_text(shown: str, amount: Decimal | None) -> None:
    assert parse_amount(shown) == amount


@pytest.mark.parametrize(("shown", "check", "ok"), [
    ("12.40", price(12.4), True),
    ("12.40", price("12.41"), False),
    ("12.64", price("12.40", "2%"), True),     # 0.24 <= 0.248
    ("12.65", price("12.40", "2%"), False),
    ("12.45", price("12.40", 0.05), True),
    ("12.46", price("12.40", "0.05"), False),
    ("n/a", price("12.40", "1"), False),       # a tolerance needs amounts on both sides
    (" Copper  pipe ", price("copper pipe"), True),
    ("Copper pipe", price("Copper tube"), False),
])
def test_column_checks_compare_amounts_as_decimals(shown: str, check: ColumnCheck,
                                                   ok: bool) -> None:
    assert matches(shown, check) is ok


@pytest.mark.parametrize("tolerance", ["2 %", "-1", "abc", "%"])
def test_a_bad_tolerance_is_refused_when_the_recipe_loads(tolerance: str) -> None:
    with pytest.raises(ValidationError, match="tolerance must be"):
        price("1.00", tolerance)


def test_a_mismatch_names_row_column_shown_and_expected() -> None:
    record = {"Line": "2", "Unit Price": "13.00"}
    with pytest.raises(BusinessError) as raised:
        check_record(record, {"unit price": price("12.40", "2%")}, "lines 2 (grid row 2)")
    assert raised.value.code == "PRICE_MISMATCH"
    assert raised.value.message == ("lines 2 (grid row 2): 'unit price' shows '13.00' but "
                                    "'12.40' was expected (tolerance 2%)")


def test_red_text_is_coded_by_the_first_rule_it_contains() -> None:
    assert rejection(["Product XYZ does not exist."], RULES, "u").code == "PRODUCT_NOT_FOUND"
    assert rejection(["Only 12 in stock for PUMP-CIRC-25."], RULES, "u").code \
        == "QUANTITY_OVER_STOCK"
    other = rejection(["Quantity must be a whole number greater than zero."], RULES, "u")
    assert other.code == "VALIDATION_REJECTED"
    assert other.message == "The form was rejected: Quantity must be a whole number greater " \
                            "than zero."


def test_codes_must_be_upper_snake_case() -> None:
    with pytest.raises(ValidationError, match="UPPER_SNAKE_CASE"):
        ErrorCode(text="on hold", code="on-hold")


def repeat_block(lines: list[dict[str, Any]]) -> RepeatBlock:
    return RepeatBlock.model_validate({
        "for_each": lines, "name": "lines", "submit": "Add line",
        "fields": {"Product Code": "${each.product_code}", "Quantity": "${each.quantity}",
                   "Note": "line of ${each.product_code}"},
        "verify": {"columns": {"Unit Price": {"equals": "${each.unit_price}",
                                              "code": "PRICE_MISMATCH"}}}})


def test_each_element_resolves_the_block_on_its_own() -> None:
    block = repeat_block([{"product_code": "FIT-ELB-15", "quantity": 4, "unit_price": "1.35"}])
    row = block.for_element(block.for_each[0], 1)
    assert row.fields == {"Product Code": "FIT-ELB-15", "Quantity": 4,
                          "Note": "line of FIT-ELB-15"}
    assert row.verify is not None
    assert row.verify.columns["Unit Price"].equals == "1.35"


def test_an_element_without_a_referenced_value_names_its_number() -> None:
    block = repeat_block([{"product_code": "A", "unit_price": "1"}])
    with pytest.raises(BusinessError, match=r"lines 1: \$\{each.quantity\} has no value") \
            as raised:
        block.for_element(block.for_each[0], 1)
    assert raised.value.code == "FIELD_MISSING"
