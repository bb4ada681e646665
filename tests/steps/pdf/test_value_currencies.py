"""Currencies: ISO codes from CLDR, symbols before or after, and the ambiguous ones."""

from __future__ import annotations

import pytest

from bots.values.currencies import check_code, find_currencies, iso_codes, read_currency


def test_the_iso_codes_are_a_real_list_without_common_words() -> None:
    codes = iso_codes()
    assert {"EUR", "USD", "GBP", "CHF", "INR", "JPY", "PLN", "BRL", "ZAR", "KES"} <= codes
    assert len(codes) > 140
    assert not {"TTC", "VAT", "NET", "TAX", "DUE", "HT", "XXX"} & codes


@pytest.mark.parametrize(("text", "codes"), [
    ("1 250,00 € TTC", ["EUR"]),
    ("Total HT 12,00 EUR", ["EUR"]),
    ("VAT 12.00", []),
    ("Rs.1,250", ["INR"]),
    ("12 zł", ["PLN"]),
    ("Kroner 12 kr", ["SEK"]),
    ("EUROPE 12", []),            # a code inside a word is no code
    ("HK$ 99 and US$ 12", ["HKD", "USD"]),
    ("eur 12,50 or 12 Chf", ["EUR", "CHF"]),   # major codes in any case
    ("12 all, 3 top", []),                     # ALL and TOP only in capitals: words first
])
def test_currencies_are_found_as_whole_symbols_and_codes(text: str, codes: list[str]) -> None:
    assert [mark.candidates[0] for mark in find_currencies(text)] == codes


@pytest.mark.parametrize(("text", "code"), [
    ("EUR", "EUR"), ("€", "EUR"), (" € ", "EUR"), ("CA$", "CAD"),
    ("Euro", "EUR"), ("euros", "EUR"), ("US Dollar", "USD"), ("Franc suisse", "CHF"),
    ("Britisches Pfund", "GBP"), ("₹", "INR"), ("zł", "PLN"), ("CHF.", "CHF"),
])
def test_a_currency_alone_is_read_by_code_symbol_or_name(text: str, code: str) -> None:
    assert read_currency(text) == (code, ())


def test_a_bare_dollar_alone_is_settled_by_the_default_or_doubted() -> None:
    assert read_currency("$", "CAD") == ("CAD", ())
    value, doubts = read_currency("$")
    assert value == "USD" and doubts[0].startswith("bare $ read as USD by default")
    assert "CAD" in doubts[0]


@pytest.mark.parametrize("text", ["TTC", "Currency", "EURO DOLLAR", "12"])
def test_what_is_no_currency_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a currency"):
        read_currency(text)


def test_default_currency_codes_are_checked() -> None:
    assert check_code("eur") == "EUR"
    with pytest.raises(ValueError, match="ISO 4217"):
        check_code("EURO")
