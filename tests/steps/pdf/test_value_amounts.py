"""Amounts by declared separators: never a quantity and a price read as one figure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bots.values.amounts import read_amount

NBSP, THIN = "\u00a0", "\u202f"


@pytest.mark.parametrize(("text", "hints", "amount", "currency"), [
    ("EUR 1.250,00", {}, "1250.00", "EUR"),
    ("€1,250.00", {}, "1250.00", "EUR"),
    (f"1{NBSP}250,00{NBSP}€", {}, "1250.00", "EUR"),     # French: no-break space groups
    (f"1{THIN}278,61", {}, "1278.61", ""),
    (f"12{NBSP}345{NBSP}678,90", {}, "12345678.90", ""),
    ("1 278.61", {"thousands": " "}, "1278.61", ""),     # declared: a space groups
    ("1 278,61", {"thousands": " ", "decimal": ","}, "1278.61", ""),
    ("1'250.00", {}, "1250.00", ""),                     # Swiss
    ("1’250.50 CHF", {}, "1250.50", "CHF"),
    ("Fr. 12.50", {}, "12.50", "CHF"),
    ("1.234,50", {"decimal": ","}, "1234.50", ""),
    ("1,234.50", {"thousands": ","}, "1234.50", ""),
    ("1.250", {"decimal": "."}, "1.25", ""),
    ("1.250", {"thousands": ","}, "1.25", ""),
    ("1,250", {"thousands": "none"}, "1.25", ""),
    ("1,5", {}, "1.50", ""),
    ("-12.50", {}, "-12.50", ""),
    ("(12.50)", {}, "-12.50", ""),
    ("12.50-", {}, "-12.50", ""),
    ("−12,50 €", {}, "-12.50", "EUR"),
    ("-€ 12.50", {}, "-12.50", "EUR"),
    ("₹12,34,567.00", {}, "1234567.00", "INR"),          # Indian lakh grouping
    ("12 zł", {}, "12.00", "PLN"),
    ("US$ 1,200.00", {}, "1200.00", "USD"),
    ("CA$ 12", {}, "12.00", "CAD"),
    ("NZ$12", {}, "12.00", "NZD"),
    ("R$ 1.200,00", {}, "1200.00", "BRL"),
    ("HK$ 99", {}, "99.00", "HKD"),
    ("1250 SEK", {}, "1250.00", "SEK"),
    ("12", {"default_currency": "GBP"}, "12.00", "GBP"),
    ("€ 1.250,-", {}, "1250.00", "EUR"),                 # whole units, not a negative
    ("Fr. 12.–", {}, "12.00", "CHF"),
    ("1250.00", {"thousands": "none"}, "1250.00", ""),
    ("$12.00 USD", {}, "12.00", "USD"),                  # symbol and code agree: no doubt
    ("€ 12 EUR", {}, "12.00", "EUR"),
    ("kr 12 NOK", {}, "12.00", "NOK"),
    ("eur 12,50", {}, "12.50", "EUR"),
])
def test_amounts_read_by_their_separators(text: str, hints: dict[str, Any], amount: str,
                                          currency: str) -> None:
    read = read_amount(text, **hints)
    assert (read.value, read.currency, read.doubts) == (Decimal(amount), currency, ())


@pytest.mark.parametrize("text", ["1 278.61", "2 19,99", "1 250,00 €", f"1{NBSP}27.61",
                                  f"1{THIN}2780,61", "3 1.234,50"])
def test_a_plain_space_or_a_short_group_is_two_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="reads two numbers") as raised:
        read_amount(text)
    assert 'thousands: " "' in str(raised.value)


def test_a_declared_space_still_needs_groups_of_three() -> None:
    with pytest.raises(ValueError, match="misplaced separators"):
        read_amount("12 34,50", thousands=" ", decimal=",")


@pytest.mark.parametrize(("text", "hints", "fragment"), [
    ("1 250,00 € TTC", {}, "'TTC' beside the figures is no currency"),
    ("VAT 12.00", {}, "clean: {remove: ['VAT']}"),
    ("EUR 12 USD", {}, "more than one currency"),
    ("$ 12 EUR", {}, r"more than one currency \(\$, EUR\)"),
    ("1.250.00", {}, "misplaced separators"),
    ("12,34,567.00", {}, "misplaced separators"),         # lakh grouping without rupees
    ("1,234.50", {"decimal": ","}, "misplaced separators"),
    ("1,250.00", {"thousands": "none"}, "misplaced separators"),
    ("1.250,50", {"thousands": "none"}, "misplaced separators"),
    ("", {}, "not an amount"),
    ("twelve", {}, "not an amount"),
])
def test_what_is_not_one_amount_is_refused(text: str, hints: dict[str, Any],
                                           fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment.replace("{", r"\{").replace("[", r"\[")):
        read_amount(text, **hints)


def test_a_lone_separator_before_three_digits_is_a_doubt() -> None:
    read = read_amount("1.250")
    assert read.value == Decimal("1250.00")
    assert read.doubts == ("amount 1.250: '.' read as a thousands separator; declare "
                           "`decimal: '.'` if it marks decimals",)
    assert read_amount("0,250").doubts == ()  # 0 thousands is no reading: decimals


def test_rounding_to_cents_is_a_doubt() -> None:
    read = read_amount("12,345.678")
    assert read.value == Decimal("12345.68") and "rounded" in read.doubts[0]


@pytest.mark.parametrize(("text", "default", "currency", "doubted"), [
    ("$99.50", "", "USD", True),
    ("$99.50", "CAD", "CAD", False),      # the layout settles the bare $
    ("$99.50", "EUR", "USD", True),       # a default that is no dollar settles nothing
    ("12 kr", "", "SEK", True),
    ("12 kr", "NOK", "NOK", False),
    ("¥1200", "", "JPY", True),
    ("Rs. 1,250.00", "INR", "INR", False),
    ("Rs 1,250.00", "PKR", "PKR", False),
])
def test_an_ambiguous_symbol_is_settled_by_the_default_or_doubted(
        text: str, default: str, currency: str, doubted: bool) -> None:
    read = read_amount(text, default_currency=default)
    assert read.currency == currency and read.written
    assert bool(read.doubts) == doubted
    if doubted:
        assert read.doubts[0].startswith(f"bare {text.split()[0].rstrip('0123456789.,')}")


def test_a_currency_taken_from_the_default_is_not_written() -> None:
    assert not read_amount("12.00", default_currency="EUR").written
    assert read_amount("12.00 EUR", default_currency="EUR").written
