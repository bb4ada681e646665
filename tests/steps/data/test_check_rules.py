"""data.check_rules: each check, typed comparison, messages and codes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import BusinessError
from bots.steps.data.check_rules import Params, check_rules


def check(*rules: dict[str, Any]) -> dict[str, Any]:
    context = StepContext(run_id="r1", item=WorkItem(key="k", name="claim.pdf"), step_id="rules")
    return check_rules.function(Params.model_validate({"rules": rules}), context)


def failure(*rules: dict[str, Any]) -> BusinessError:
    with pytest.raises(BusinessError) as caught:
        check(*rules)
    return caught.value


def test_passing_rules_are_listed() -> None:
    passed = check({"code": "POLICY_LAPSED", "value": "ACTIVE", "equals": "active"},
                   {"code": "AMOUNT_OVER_LIMIT", "value": "1250.00", "at_most": "5000.00"})
    assert passed == {"passed": ["POLICY_LAPSED", "AMOUNT_OVER_LIMIT"]}


def test_amount_over_limit_message_states_the_values() -> None:
    error = failure({"code": "AMOUNT_OVER_LIMIT", "name": "Amount", "value": "9400.00",
                     "at_most": "5000.00"})
    assert error.code == "AMOUNT_OVER_LIMIT"
    assert error.message == "Amount 9400.00 exceeds the limit 5000.00"


def test_numbers_compare_as_decimals_not_text() -> None:
    # as text "900.00" > "10000"; as numbers it is well below
    assert check({"code": "AMOUNT_OVER_LIMIT", "value": "900.00", "at_most": "10000"})
    assert check({"code": "X", "value": 25000, "equals": "25000.00"})
    assert check({"code": "X", "value": Decimal("0.30"), "at_least": 0.3})
    error = failure({"code": "TOO_SMALL", "value": "99.99", "at_least": 100})
    assert error.message == "Value 99.99 is below the minimum 100"


def test_dates_compare_as_dates() -> None:
    rule = {"code": "POLICY_LAPSED", "name": "Date of loss", "at_least": "2025-01-01",
            "at_most": "2025-12-31"}
    assert check({**rule, "value": "2025-12-31"})
    assert failure({**rule, "value": "2026-01-01"}).message == (
        "Date of loss 2026-01-01 is after 2025-12-31")
    assert failure({**rule, "value": "2024-12-31"}).message == (
        "Date of loss 2024-12-31 is before 2025-01-01")
    assert check({"code": "X", "value": date(2025, 3, 1), "equals": "2025-03-01"})


def test_equals_and_one_of_ignore_case_for_text() -> None:
    assert check({"code": "X", "value": "Active", "one_of": ["LAPSED", "ACTIVE"]})
    error = failure({"code": "POLICY_LAPSED", "name": "Status", "value": "LAPSED",
                     "one_of": ["ACTIVE", "PENDING"]})
    assert error.message == "Status is LAPSED, expected one of ACTIVE, PENDING"
    error = failure({"code": "POLICY_LAPSED", "name": "Status", "value": "LAPSED",
                     "equals": "ACTIVE"})
    assert error.message == "Status is LAPSED, expected ACTIVE"


def test_not_empty() -> None:
    assert check({"code": "POLICY_MISSING", "value": "POL-1", "not_empty": True})
    empties: list[Any] = [None, "", "   ", []]
    for empty in empties:
        error = failure({"code": "POLICY_MISSING", "name": "Policy number", "value": empty,
                         "not_empty": True})
        assert (error.code, error.message) == ("POLICY_MISSING", "Policy number is empty")


def test_matches_needs_the_whole_value() -> None:
    assert check({"code": "FIELD_INVALID", "value": "POL-100234", "matches": r"POL-\d{6}"})
    error = failure({"code": "FIELD_INVALID", "value": "POL-1002345", "matches": r"POL-\d{6}"})
    assert error.message == r"Value 'POL-1002345' does not match the pattern POL-\d{6}"


def test_first_failing_rule_wins_and_checks_run_in_order() -> None:
    error = failure({"code": "FIRST", "value": "", "not_empty": True, "matches": "x"},
                    {"code": "SECOND", "value": "1", "equals": "2"})
    assert error.code == "FIRST"


def test_custom_message_with_placeholders() -> None:
    error = failure({"code": "AMOUNT_OVER_LIMIT", "value": "9400.00", "at_most": "5000.00",
                     "message": "Claim of {value} is over the cover of {expected}"})
    assert error.message == "Claim of 9400.00 is over the cover of 5000.00"
    assert error.details["check"] == "at_most" and error.details["expected"] == "5000.00"


@pytest.mark.parametrize(("value", "bound"), [
    ("ACTIVE", "5000.00"), ("2026-01-01", "5000"), (None, "5000"), ("100", None),
    ("2026-02-30", "2026-01-01"), ({"a": 1}, "1")])
def test_uncomparable_values_are_field_invalid_naming_the_rule(value: Any, bound: Any) -> None:
    error = failure({"code": "AMOUNT_OVER_LIMIT", "value": value, "at_most": bound})
    assert error.code == "FIELD_INVALID" and "rule AMOUNT_OVER_LIMIT" in error.message


def test_empty_value_for_equals_is_field_invalid() -> None:
    error = failure({"code": "POLICY_LAPSED", "name": "Status", "value": None,
                     "equals": "ACTIVE"})
    assert error.code == "FIELD_INVALID" and "Status has no value" in error.message


def test_rule_shape_checked_when_the_recipe_loads() -> None:
    with pytest.raises(ValidationError, match="has no check"):
        Params.model_validate({"rules": [{"code": "X", "value": 1}]})
    with pytest.raises(ValidationError, match="has no check"):
        Params.model_validate({"rules": [{"code": "X", "value": 1, "not_empty": False}]})
    with pytest.raises(ValidationError, match="extra"):
        Params.model_validate({"rules": [{"code": "X", "value": 1, "at_mostt": 2}]})
    with pytest.raises(ValidationError, match="code"):
        Params.model_validate({"rules": [{"code": "over limit", "value": 1, "at_most": 2}]})
    with pytest.raises(ValidationError, match="regular expression|unterminated|missing"):
        Params.model_validate({"rules": [{"code": "X", "value": "a", "matches": "(unclosed"}]})
    with pytest.raises(ValidationError, match="value"):
        Params.model_validate({"rules": [{"code": "X", "at_most": 2}]})
