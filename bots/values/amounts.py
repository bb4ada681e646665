"""Money amounts by the separators a rule declares, refusing what reads as two numbers.

A plain space between digit groups is not a thousands separator unless the rule declares
``thousands: " "``: on a line item "1 278.61" is a quantity and a price, and reading it as
1278.61 would key a wrong value silently. A no-break or thin space (French "1 278,61") groups
thousands only between groups of exactly three digits. Negative amounts may be written
"-12.50", "(12.50)" or "12.50-" ("1.250,-" is whole units, 1250.00). Without declared
separators the mark is read from the text, and a lone separator before three digits ("1.250")
is reported as a doubt.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from bots.values.currencies import agree, find_currencies, settle

SEPARATORS = (".", ",", " ", "'", "none")
SPACES = " \u00a0\u202f\u2009"
_BODY = re.compile(r"\d[\d.,'’" + SPACES + r"]*")
_SPACE_RUN = re.compile(f"[{SPACES}]+")
_NO_CENTS = re.compile(r"(?<=\d)([.,])[-–—]{1,2}$")
_LAKH = {"INR", "PKR", "NPR", "LKR"}  # 12,34,567.00: groups of two above the thousands


class Amount(NamedTuple):
    """An amount in cents, its currency ('' when none), the doubts met reading it, and
    whether the text wrote the currency (else it is the default)."""

    value: Decimal
    currency: str
    doubts: tuple[str, ...] = ()
    written: bool = False


def read_amount(text: str, *, decimal: str | None = None, thousands: str | None = None,
                default_currency: str = "") -> Amount:
    """The amount written in text, with its currency (the document's, else the default)."""
    currency, rest, doubts = _currency(text, default_currency)
    negative, body = _sign(rest.strip(), text)
    digits = _join_spaces(body, thousands, text)
    number = _number(digits, decimal, thousands, currency, text, doubts)
    value = -number if negative else number
    cents = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if cents != value:
        doubts.append(f"amount {text.strip()} rounded to {cents}")
    return Amount(cents, currency or default_currency, tuple(doubts), bool(currency))


def _currency(text: str, default: str) -> tuple[str, str, list[str]]:
    """The currency named in the text (settled against the default) and the text without it."""
    marks = find_currencies(text)
    if not marks:
        return "", text, []
    code, doubts = settle(agree(marks, text), default)
    for mark in reversed(marks):  # from the end, so the earlier positions stay right
        text = text[:mark.start] + " " + text[mark.end:]
    return code, text, list(doubts)


def _sign(text: str, source: str) -> tuple[bool, str]:
    """Whether the amount is negative, and its digits: -12.50, (12.50), 12.50-, − 12.50."""
    negative = False
    text = _NO_CENTS.sub(r"\g<1>00", text)  # "1.250,-" is 1250.00, not a negative
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    if text and text[0] in "-−+":
        negative, text = text[0] != "+", text[1:].strip()
    elif text and text[-1] in "-−":
        negative, text = True, text[:-1].strip()
    if not _BODY.fullmatch(text):
        raise ValueError(_not_an_amount(text, source))
    return negative, text


def _not_an_amount(text: str, source: str) -> str:
    word = re.search(r"[^\W\d_]+", text)
    if word:
        return (f"{source!r} is not an amount: {word.group()!r} beside the figures is no "
                f"currency; remove it with `clean: {{remove: ['{word.group()}']}}`")
    return f"{source!r} is not an amount: expected e.g. 'EUR 1.250,00', '€1,250.00', '1250.00'"


def _join_spaces(body: str, thousands: str | None, source: str) -> str:
    """The figures without the spaces that group thousands; two numbers are refused."""
    pieces = _SPACE_RUN.split(body)
    for index, space in enumerate(_SPACE_RUN.findall(body)):
        before, after = pieces[index], pieces[index + 1]
        groups = _groups_thousands(before, after)
        if groups and (thousands == " " or " " not in space):
            continue
        if thousands == " ":
            raise ValueError(f"{source!r} has misplaced separators: a space that groups "
                             f"thousands stands between groups of three digits")
        raise ValueError(
            f"{source!r} reads two numbers, {before!r} and {after!r} (a quantity and a price?); "
            f"if the space groups thousands, declare `thousands: \" \"` on the rule")
    return "".join(pieces)


def _groups_thousands(before: str, after: str) -> bool:
    """A space groups thousands only after 1-3 digits and before exactly three."""
    head = re.search(r"(?<!\d)\d{1,3}$", before)
    return head is not None and re.match(r"\d{3}(?!\d)", after) is not None


def _number(digits: str, decimal: str | None, thousands: str | None, currency: str,
            source: str, doubts: list[str]) -> Decimal:
    """'1.250,00' -> 1250.00 using the declared or evident decimal mark."""
    digits = digits.replace("’", "'")
    mark, grouping = _marks(digits, decimal, thousands, source, doubts)
    whole, _, fraction = digits.partition(mark) if mark else (digits, "", "")
    groups = [group for part in whole.split("'") for group in
              (part.split(grouping) if grouping else [part])]
    bad_fraction = bool(fraction) and not fraction.isdigit()
    if bad_fraction or not all(group.isdigit() for group in groups) or not _grouped(
            groups, currency):
        raise ValueError(f"{source!r} has misplaced separators for decimal {mark or 'none'!r} "
                         f"and thousands {grouping or 'none'!r}; declare `decimal` and "
                         f"`thousands` on the rule to match the document")
    return Decimal("".join(groups) + ("." + fraction if fraction else ""))


def _marks(digits: str, decimal: str | None, thousands: str | None, source: str,
           doubts: list[str]) -> tuple[str, str]:
    """(decimal mark, grouping mark) for the figures: declared, else read from them."""
    group = thousands if thousands in (".", ",") else ""
    if decimal is None and group:
        decimal = "," if group == "." else "."
    if decimal is None:
        decimal, group = _guess(digits, thousands, source, doubts)
    elif not group and thousands is None:
        group = "," if decimal == "." else "."
    if thousands == "none":
        group = ""
    return (decimal if decimal in digits else ""), group


def _guess(digits: str, thousands: str | None, source: str,
           doubts: list[str]) -> tuple[str, str]:
    """The marks a number most likely uses; a lone separator before three digits is a doubt."""
    last_dot, last_comma = digits.rfind("."), digits.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        return (".", ",") if last_dot > last_comma else (",", ".")
    mark = "." if last_dot >= 0 else ","
    other = "," if mark == "." else "."
    if thousands == "none" or mark not in digits:
        return mark, other
    whole, _, fraction = digits.partition(mark)
    if digits.count(mark) > 1:
        return other, mark
    if len(fraction) == 3 and whole.replace("'", "") not in ("", "0"):
        doubts.append(f"amount {source.strip()}: {mark!r} read as a thousands separator; "
                      f"declare `decimal: {mark!r}` if it marks decimals")
        return other, mark
    return mark, other


def _grouped(groups: list[str], currency: str) -> bool:
    """Groups of three under the first (or the Indian lakh grouping for rupees)."""
    if len(groups) == 1:
        return True
    head, *middle, tail = groups
    if len(tail) != 3 or not 1 <= len(head) <= 3:
        return False
    if all(len(group) == 3 for group in middle):
        return True
    return currency in _LAKH and len(head) <= 2 and all(len(group) == 2 for group in middle)
