"""Unit tests for bots.normalize: dates, amounts and policy numbers as people write them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from bots.normalize import normalize_amount, normalize_date, normalize_policy_number


@pytest.mark.parametrize(("text", "iso"), [
    ("14.03.2026", "2026-03-14"),
    ("4.3.2026", "2026-03-04"),
    ("03/14/2026", "2026-03-14"),
    ("3/4/2026", "2026-03-04"),
    ("2026-03-14", "2026-03-14"),
    ("2026/03/14", "2026-03-14"),
    ("14-03-2026", "2026-03-14"),
    ("March 14, 2026", "2026-03-14"),
    ("march 14 2026", "2026-03-14"),
    ("Mar. 14, 2026", "2026-03-14"),
    ("Sept 1, 2026", "2026-09-01"),
    ("14 Mar 2026", "2026-03-14"),
    ("14th March 2026", "2026-03-14"),
    ("  29.02.2028 ", "2028-02-29"),
    ("14 . 03 . 2026", "2026-03-14"),
])
def test_dates_in_many_forms_become_iso(text: str, iso: str) -> None:
    assert normalize_date(text) == iso


def test_dayfirst_hint_reads_slashes_the_european_way() -> None:
    assert normalize_date("03/04/2026", dayfirst=True) == "2026-04-03"
    assert normalize_date("03/04/2026", dayfirst=False) == "2026-03-04"
    assert normalize_date("03.04.2026", dayfirst=False) == "2026-03-04"


def test_date_objects_pass_through() -> None:
    assert normalize_date(date(2026, 3, 14)) == "2026-03-14"
    assert normalize_date(datetime(2026, 3, 14, 9, 30)) == "2026-03-14"


@pytest.mark.parametrize(("text", "fragment"), [
    ("", "empty date"),
    ("yesterday", "is not a date"),
    ("31.02.2026", "not a valid date"),
    ("14/03/2026", "dayfirst"),
    ("14.03.26", "four digits"),
    ("14 Foo 2026", "unknown month"),
    ("2026-13-01", "not a valid date"),
])
def test_nonsense_dates_are_refused_with_a_clear_message(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        normalize_date(text)


@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("EUR 1.250,00", "1250.00", "EUR"),
    ("€1,250.00", "1250.00", "EUR"),
    ("1250.00", "1250.00", ""),
    ("1 250,00 €", "1250.00", "EUR"),
    ("1\u00a0250,00\u00a0€", "1250.00", "EUR"),
    ("$99.5", "99.50", "USD"),
    ("£12", "12.00", "GBP"),
    ("1250 CHF", "1250.00", "CHF"),
    ("EUR1,250.00", "1250.00", "EUR"),
    ("12.345.678,9", "12345678.90", ""),
    ("1,234,567.891", "1234567.89", ""),
    ("1.250", "1250.00", ""),
    ("1,5", "1.50", ""),
    ("0.005", "0.01", ""),
    ("-3,000.50", "-3000.50", ""),
    ("1'250.00", "1250.00", ""),
])
def test_amounts_in_many_forms_become_cents(text: str, amount: str, currency: str) -> None:
    value, code = normalize_amount(text)
    assert (value, code) == (Decimal(amount), currency)
    assert value.as_tuple().exponent == -2


def test_decimal_hint_settles_a_lone_separator() -> None:
    assert normalize_amount("1.250", decimal=".") == (Decimal("1.25"), "")
    assert normalize_amount("1,250", decimal=",") == (Decimal("1.25"), "")
    assert normalize_amount("1,250", decimal=".") == (Decimal("1250.00"), "")


def test_numbers_from_spreadsheets_are_accepted() -> None:
    assert normalize_amount(1250) == (Decimal("1250.00"), "")
    assert normalize_amount(99.5) == (Decimal("99.50"), "")
    assert normalize_amount(Decimal("7.125")) == (Decimal("7.13"), "")


@pytest.mark.parametrize(("text", "fragment"), [
    ("", "not an amount"),
    ("EUR", "not an amount"),
    ("twelve euros", "not an amount"),
    ("1.250.00", "misplaced separators"),
    ("12,34,567.00", "misplaced separators"),
    ("EUR 12 USD", "more than one currency"),
    ("€ 5 $", "more than one currency"),
    ("1,2,3", "misplaced separators"),
])
def test_nonsense_amounts_are_refused(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        normalize_amount(text)


def test_a_wrong_decimal_hint_is_refused() -> None:
    with pytest.raises(ValueError, match="decimal hint"):
        normalize_amount("1.00", decimal=";")


def test_infinite_amounts_are_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        normalize_amount(float("inf"))


@pytest.mark.parametrize("text", [
    " pol 100234 ", "POL100234", "POL-100234", "pol-100234", "POL 100234", "POL_100234",
    "POL - 100234"])
def test_policy_numbers_get_one_form(text: str) -> None:
    assert normalize_policy_number(text) == "POL-100234"


@pytest.mark.parametrize("text", ["", "100234", "POL-12", "POL-1002345", "POLICY 100234",
                                  "POL-10023A", "see attached"])
def test_nonsense_policy_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a policy number"):
        normalize_policy_number(text)
