"""Currencies beside an amount or alone: ISO 4217 codes, symbols, and the ambiguous ones.

The codes are those CLDR (shipped by babel) lists as legal tender in some territory today, so
a capital word that is no currency ("TTC", "VAT", "NET") is never taken for one. A symbol
several currencies use (``$``, ``kr``, ``¥``, ``Rs``) is ambiguous: the rule's
``default_currency`` settles it when it is one of them, else the usual reading is taken and
reported as a doubt for a person to confirm.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from bots.values import Read
from bots.values.months import DEFAULT_LANGUAGES, fold

SYMBOLS = {
    "€": "EUR", "£": "GBP", "US$": "USD", "U$S": "USD", "CA$": "CAD", "C$": "CAD",
    "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "MX$": "MXN",
    "NT$": "TWD", "R$": "BRL", "₹": "INR", "CHF": "CHF", "Fr.": "CHF", "SFr.": "CHF",
    "zł": "PLN", "CN¥": "CNY", "JP¥": "JPY", "RMB": "CNY", "₩": "KRW", "₪": "ILS", "₫": "VND",
    "₱": "PHP", "₺": "TRY", "₽": "RUB", "₴": "UAH", "฿": "THB", "₦": "NGN", "Kč": "CZK",
    "Ft": "HUF", "lei": "RON",
}
# symbol -> the currencies that write it, the usual reading first
AMBIGUOUS = {
    "$": ("USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN", "TWD", "ARS", "CLP", "COP"),
    "kr": ("SEK", "NOK", "DKK", "ISK"), "kr.": ("DKK", "ISK", "SEK", "NOK"),
    "¥": ("JPY", "CNY"), "Rs": ("INR", "PKR", "LKR", "NPR", "MUR"),
    "Rs.": ("INR", "PKR", "LKR", "NPR", "MUR"),
}
# codes also read in lower or title case ('eur 12,50', '12 Eur'): no common word spells them
ANY_CASE = frozenset({"EUR", "USD", "GBP", "CHF", "CAD", "AUD", "NZD", "JPY", "CNY", "HKD",
                      "SGD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "INR", "BRL", "MXN", "ZAR"})
CODE_EXAMPLES = "an ISO 4217 code such as EUR, USD, GBP, CHF, CAD, INR"


class Mark(NamedTuple):
    """A currency found in a text: where, as written, and the currencies it may mean."""

    start: int
    end: int
    written: str
    candidates: tuple[str, ...]


@cache
def iso_codes() -> frozenset[str]:
    """ISO 4217 codes that are legal tender somewhere today (CLDR territory data)."""
    from babel.core import get_global

    territories = get_global("territory_currencies")
    return frozenset(code for spans in territories.values()
                     for code, _start, end, tender in spans if end is None and tender)


def check_code(code: str) -> str:
    """An ISO currency code, upper-cased; ValueError saying what to write otherwise."""
    upper = code.strip().upper()
    if upper not in iso_codes():
        raise ValueError(f"{code!r} is not a currency code: write {CODE_EXAMPLES}")
    return upper


@cache
def _marker() -> re.Pattern[str]:
    """One pattern for every symbol (longest first) and every three-letter word."""
    symbols = sorted([*SYMBOLS, *AMBIGUOUS], key=len, reverse=True)
    alternatives = [_bounded(symbol) for symbol in symbols]
    return re.compile("|".join([*alternatives, r"(?<![^\W\d_])[A-Za-z]{3}(?![^\W\d_])"]))


def _bounded(symbol: str) -> str:
    """A symbol's pattern; one made of letters must not sit inside a word."""
    escaped = re.escape(symbol)
    if symbol[0].isalpha():
        escaped = r"(?<![^\W\d_])" + escaped
    if symbol[-1].isalpha():
        escaped += r"(?![^\W\d_])"
    return escaped


def find_currencies(text: str) -> list[Mark]:
    """Every currency symbol or ISO code in the text (three-letter words that are no code
    skipped)."""
    marks = []
    for match in _marker().finditer(text):
        written = match.group()
        candidates = _candidates(written)
        if candidates:
            marks.append(Mark(match.start(), match.end(), written, candidates))
    return marks


def _candidates(written: str) -> tuple[str, ...]:
    if written in AMBIGUOUS:
        return AMBIGUOUS[written]
    if written in SYMBOLS:
        return (SYMBOLS[written],)
    code = written.upper()
    if written != code and code not in ANY_CASE:  # 'all', 'top', 'pen' are words first
        return ()
    return (code,) if code in iso_codes() else ()


def agree(marks: list[Mark], text: str) -> Mark:
    """One mark for several that name the same currency ('$12.00 USD' is USD), else an error."""
    common = set(marks[0].candidates).intersection(*(mark.candidates for mark in marks[1:]))
    if not common:
        raise ValueError(f"{text!r} names more than one currency "
                         f"({', '.join(mark.written for mark in marks)})")
    narrowest = min(marks, key=lambda mark: len(mark.candidates))
    return narrowest._replace(candidates=tuple(code for code in narrowest.candidates
                                               if code in common))


def settle(mark: Mark, default: str) -> Read:
    """The code a mark means: its only one, the default among several, else the usual one."""
    if len(mark.candidates) == 1:
        return Read(mark.candidates[0])
    if default in mark.candidates:
        return Read(default)
    usual = mark.candidates[0]
    why = f"default_currency {default} is not one of them" if default else "no default_currency"
    return Read(usual, (f"bare {mark.written} read as {usual} by default ({why}; it may be "
                        f"{', '.join(mark.candidates[1:])})",))


def read_currency(text: str, default: str = "",
                  languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> Read:
    """A currency written alone: 'EUR', '€', 'CA$', 'Euro', 'US Dollar'."""
    cleaned = " ".join(text.split()).strip(" .:")
    marks = find_currencies(cleaned)
    if len(marks) == 1 and (marks[0].end - marks[0].start) >= len(cleaned.rstrip(".")):
        return settle(marks[0], default)
    named = currency_names(languages).get(fold(cleaned)) or currency_names(languages).get(
        fold(cleaned).removesuffix("s"))
    if named:
        return Read(named)
    if not cleaned and default:
        return Read(default, (f"no currency written: read as the default {default}",))
    raise ValueError(f"{text!r} is not a currency: expected {CODE_EXAMPLES}, a symbol such as "
                     f"€ £ $ ₹ or a name such as Euro")


@cache
def currency_names(languages: tuple[str, ...]) -> dict[str, str]:
    """Folded currency names in the languages ('euro', 'us dollar', 'franc suisse') -> code."""
    from babel import Locale

    names: dict[str, str] = {}
    for language in languages:
        for code, name in Locale.parse(language).currencies.items():
            if code in iso_codes():
                names.setdefault(fold(name), code)
    return names
