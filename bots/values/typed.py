"""Values compared by what they hold: ISO dates as dates, plain decimals as numbers.

The business rules (data.check_rules) compare a value and its bound this way, so "2026-03-14"
and a date, or "1250.00" and 5000, compare as a person would read them.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL = re.compile(r"^[+-]?\d+(\.\d+)?$")


def as_date(value: Any) -> date | None:
    """A date, or an ISO date text (YYYY-MM-DD) as one; None for anything else."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def as_number(value: Any) -> Decimal | None:
    """A finite number, or a plain decimal text as one (no booleans); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        return number if number.is_finite() else None
    if isinstance(value, str) and _DECIMAL.match(value.strip()):
        return Decimal(value.strip())
    return None


def is_empty(value: Any) -> bool:
    """Whether a value holds nothing: None, blank text, an empty list or record."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | dict) and not value)


def shown(value: Any) -> str:
    """A value as a message shows it (dates in ISO form, None as empty)."""
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)
