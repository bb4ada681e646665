"""Check digits an identifier carries: a misread or mistyped digit fails instead of passing.

``iban``: ISO 13616 (the country's letters and the digits, mod 97 is 1); ``luhn``: the
Luhn mod-10 sum (card numbers, many national identifiers). Each takes the canonical value.
"""

from __future__ import annotations

from typing import Literal

Check = Literal["iban", "luhn"]


def iban_valid(value: str) -> bool:
    """Whether an IBAN ('DE89370400440532013000') passes its mod-97 check."""
    compact = value.replace(" ", "").upper()
    if len(compact) < 15 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    if not compact.isalnum():
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in moved)) % 97 == 1


def luhn_valid(value: str) -> bool:
    """Whether the digits of a value pass the Luhn mod-10 check."""
    digits = [int(char) for char in value if char.isdigit()]
    if len(digits) < 2:
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if position % 2 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def passes(check: Check, value: str) -> bool:
    """Whether a canonical value passes the named check."""
    return iban_valid(value) if check == "iban" else luhn_valid(value)
