"""Normalize the values people write on documents: dates, money amounts, policy numbers.

Every function takes the text as found (stray spaces, symbols, local separators) and returns one
canonical form, or raises ``ValueError`` with a message that quotes the text and says which forms
are accepted. Ambiguous inputs take a hint (``dayfirst``, ``decimal``) instead of a guess.
``clean_text`` is the exception: it never fails, it only drops what no person can see.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from bots.values.months import month_number

MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}

DATE_FORMS = "DD.MM.YYYY, MM/DD/YYYY, YYYY-MM-DD, 'March 14, 2026' or '14 Mar 2026'"
_NUMERIC_DATE = re.compile(r"(\d{1,4})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{1,4})")
_MONTH_FIRST = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})(?:st|nd|rd|th|er)?\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})")

CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₣": "CHF"}
_CURRENCY_CODE = re.compile(r"(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])")
_AMOUNT_BODY = re.compile(r"-?\d[\d.,' \u00a0\u202f]*")

_GROUPED = {sep: re.compile(rf"-?\d{{1,3}}(?:\{sep}\d{{3}})+") for sep in ".,"}

_POLICY = re.compile(r"POL[\s_-]*(\d{6})", re.IGNORECASE)


INVISIBLE = {"Cc", "Cf"}  # control characters; format characters (bidi overrides, zero widths)


def clean_text(text: str) -> str:
    """Text without control or invisible format characters, single-spaced.

    Whitespace controls (tab, CR, LF, the information separators) become spaces; other
    controls (NUL, BEL, ESC, DEL) and format characters (U+202E right-to-left override,
    zero-width spaces and joiners, BOM, soft hyphen) are dropped: they would hide or reorder
    what a person reads, and legacy systems choke on them. Markup such as ``<b>`` is text
    and stays: escaping is the job of whatever displays the value.
    """
    text = str(text)
    if text.isprintable():  # no control, format or odd space character: the common case, fast
        return " ".join(text.split())
    kept = (" " if char.isspace() else char for char in text
            if char.isspace() or unicodedata.category(char) not in INVISIBLE)
    return " ".join("".join(kept).split())


def normalize_date(text: str | date, *, dayfirst: bool | None = None) -> str:
    """Return a written date as ISO ``YYYY-MM-DD``.

    Numeric dates follow their separator's convention (dots: day first; slashes: month
    first; a leading four-digit year: ISO) unless ``dayfirst`` says otherwise.
    """
    if isinstance(text, date):
        return text.isoformat()[:10]
    cleaned = " ".join(str(text).split()).lower()
    if not cleaned:
        raise ValueError(f"empty date: expected {DATE_FORMS}")
    parsed = _numeric_date(cleaned, dayfirst) or _worded_date(cleaned)
    if parsed is None:
        raise ValueError(f"{text!r} is not a date: expected {DATE_FORMS}")
    year, month, day = parsed
    try:
        return date(year, month, day).isoformat()
    except ValueError as error:
        raise ValueError(f"{text!r} is not a valid date ({error})") from None


def _numeric_date(text: str, dayfirst: bool | None) -> tuple[int, int, int] | None:
    """Read 14.03.2026, 03/14/2026 or 2026-03-14 as (year, month, day)."""
    match = _NUMERIC_DATE.fullmatch(text)
    if match is None:
        return None
    first, separator, middle, last = match.groups()
    if len(first) == 4:
        return int(first), int(middle), int(last)
    if len(last) != 4:
        raise ValueError(f"{text!r}: write the year with four digits ({DATE_FORMS})")
    day_first = dayfirst if dayfirst is not None else separator != "/"
    day, month = (first, middle) if day_first else (middle, first)
    if int(month) > 12:
        order = "DD/MM" if day_first else "MM/DD"
        raise ValueError(f"{text!r} has month {int(month)} when read as {order}/YYYY; "
                         f"set the dayfirst hint to read it the other way")
    return int(last), int(month), int(day)


def _worded_date(text: str) -> tuple[int, int, int] | None:
    """Read 'March 14, 2026', '14 Mar 2026' or '3 März 2026' as (year, month, day)."""
    match = _MONTH_FIRST.fullmatch(text)
    if match:
        month_name, day, year = match.groups()
    else:
        match = _DAY_FIRST.fullmatch(text)
        if match is None:
            return None
        day, month_name, year = match.groups()
    month = MONTHS.get(month_name) or month_number(month_name)  # then CLDR's, in 7 languages
    if month is None:
        raise ValueError(f"{text!r}: unknown month name {month_name!r}")
    return int(year), month, int(day)


def normalize_amount(text: str | int | float | Decimal, *,
                     decimal: str | None = None) -> tuple[Decimal, str]:
    """Return (amount quantized to cents, ISO currency code or "") for a written amount.

    Separators are read from the text: with both '.' and ',' the last one is the decimal
    mark; a lone separator followed by exactly three digits groups thousands. ``decimal``
    ('.' or ',') overrides the guess where a document's convention is known.
    """
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        return _cents(Decimal(str(text)), repr(text)), ""
    source = str(text)
    currency, rest = _split_currency(source)
    body = _AMOUNT_BODY.fullmatch(rest.strip())
    if body is None:
        raise ValueError(f"{source!r} is not an amount: expected e.g. 'EUR 1.250,00', "
                         f"'€1,250.00' or '1250.00'")
    digits = re.sub(r"[' \u00a0\u202f]", "", body.group())
    return _cents(Decimal(_plain_number(digits, decimal, source)), source), currency


def _split_currency(text: str) -> tuple[str, str]:
    """Take one currency symbol or code off the text: ('EUR', the rest)."""
    found = [(symbol, code) for symbol, code in CURRENCY_SYMBOLS.items() if symbol in text]
    found += [(code, code) for code in _CURRENCY_CODE.findall(text)]
    if len(found) > 1:
        raise ValueError(f"{text!r} names more than one currency")
    if not found:
        return "", text
    marker, code = found[0]
    return code, text.replace(marker, " ", 1)


def _plain_number(digits: str, decimal: str | None, source: str) -> str:
    """Turn '1.250,00' or '1,250.00' into '1250.00' using the decimal mark."""
    if decimal not in (None, ".", ","):
        raise ValueError(f"decimal hint must be '.' or ',', not {decimal!r}")
    mark = decimal or _guess_decimal_mark(digits)
    grouping = "," if mark == "." else "."
    grouped, _, fraction = digits.partition(mark)
    whole = grouped.replace(grouping, "")
    misgrouped = grouping in grouped and not _GROUPED[grouping].fullmatch(grouped)
    if misgrouped or mark in fraction or grouping in fraction or not whole.lstrip("-"):
        raise ValueError(f"{source!r} has misplaced separators")
    return f"{whole}.{fraction}" if fraction else whole


def _guess_decimal_mark(digits: str) -> str:
    """The decimal mark a number most likely uses ('.' when it has none)."""
    last_dot, last_comma = digits.rfind("."), digits.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        return "." if last_dot > last_comma else ","
    mark = "." if last_dot >= 0 else ","
    whole, _, fraction = digits.partition(mark)
    groups_thousands = len(fraction) == 3 and whole.lstrip("-") not in ("", "0")
    if digits.count(mark) > 1 or groups_thousands:
        return "," if mark == "." else "."  # the only separator groups thousands
    return mark


def _cents(value: Decimal, source: str) -> Decimal:
    """Quantize to two places, refusing NaN and infinities."""
    try:
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"{source!r} is not a finite amount") from None


def normalize_policy_number(text: str) -> str:
    """Return a policy number as ``POL-`` and six digits, from ' pol 100234 ' or 'POL100234'."""
    match = _POLICY.fullmatch(" ".join(str(text).split()))
    if match is None:
        raise ValueError(f"{text!r} is not a policy number: expected 'POL-' and six digits, "
                         f"e.g. POL-100234")
    return f"POL-{match.group(1)}"
