"""Durations of service goals ('2 business days', '3 days', '36 hours') and time arithmetic.

Everything here is UTC. A business day is Monday to Friday; there is no holiday calendar.
Adding business days keeps the time of day and skips Saturdays and Sundays: an item that
arrives on Friday at 10:00 with '1 business day' is due on Monday at 10:00. An item that
arrives during a weekend counts from 00:00 on the Monday after, so it gets whole business days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Literal

Unit = Literal["business_days", "days", "hours", "minutes"]

ACCEPTED = ("'<number> business days', '<number> days', '<number> hours' or "
            "'<number> minutes' (for example '2 business days', '3 days', '36 hours')")
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s+(business\s+days?|days?|hours?|minutes?)\s*$",
                      re.IGNORECASE)
_SATURDAY = 5
_SPANS = (("d", 86400), ("h", 3600), ("m", 60))


@dataclass(frozen=True)
class Duration:
    """An amount of business days, days, hours or minutes."""

    amount: float
    unit: Unit

    def after(self, moment: datetime) -> datetime:
        """The moment this long after `moment`."""
        if self.unit == "business_days":
            return add_business_days(moment, int(self.amount))
        return moment + self._span()

    def before(self, moment: datetime) -> datetime:
        """The moment this long before `moment`."""
        if self.unit == "business_days":
            return subtract_business_days(moment, int(self.amount))
        return moment - self._span()

    def _span(self) -> timedelta:
        return timedelta(**{self.unit: self.amount})

    def __str__(self) -> str:
        amount = f"{self.amount:g}"
        unit = self.unit.replace("_", " ")
        return f"{amount} {unit.removesuffix('s') if self.amount == 1 else unit}"


@lru_cache(maxsize=64)
def parse_duration(text: str) -> Duration:
    """A Duration from text like '2 business days'; ValueError naming the accepted forms."""
    match = _PATTERN.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"'{text}' is not a duration: write {ACCEPTED}")
    amount = float(match.group(1))
    words = match.group(2).lower().split()
    unit: Unit = "business_days" if words[0] == "business" else _plural(words[0])
    if unit == "business_days" and not amount.is_integer():
        raise ValueError(f"'{text}': business days must be a whole number (write hours instead)")
    return Duration(amount, unit)


def _plural(word: str) -> Unit:
    unit = word if word.endswith("s") else word + "s"
    assert unit in ("days", "hours", "minutes")  # the pattern admits nothing else
    return unit  # type: ignore[return-value]


def add_business_days(start: datetime, days: int) -> datetime:
    """`days` weekdays after `start`, keeping the time of day (weekend starts: Monday 00:00)."""
    moment = _next_monday_if_weekend(start)
    for _ in range(days):
        moment = _step_over_weekend(moment + timedelta(days=1), timedelta(days=1))
    return moment


def subtract_business_days(end: datetime, days: int) -> datetime:
    """`days` weekdays before `end`, keeping the time of day."""
    moment = end
    for _ in range(days):
        moment = _step_over_weekend(moment - timedelta(days=1), timedelta(days=-1))
    return moment


def _step_over_weekend(moment: datetime, step: timedelta) -> datetime:
    while moment.weekday() >= _SATURDAY:
        moment += step
    return moment


def _next_monday_if_weekend(moment: datetime) -> datetime:
    if moment.weekday() < _SATURDAY:
        return moment
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + timedelta(days=7 - moment.weekday())


def parse_time(text: str) -> datetime:
    """An ISO timestamp as an aware UTC datetime (a timestamp without offset is taken as UTC)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso(moment: datetime) -> str:
    """An aware datetime as an ISO string in UTC, to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def human(seconds: float) -> str:
    """A length of time for people: '2d 4h', '5h 30m', '12m', '45s'."""
    seconds = abs(int(seconds))
    for index, (unit, size) in enumerate(_SPANS):
        if seconds >= size:
            return f"{seconds // size}{unit}" + _smaller_part(seconds % size, index + 1)
    return f"{seconds}s"


def _smaller_part(seconds: int, index: int) -> str:
    if index >= len(_SPANS) or seconds < _SPANS[index][1]:
        return ""
    unit, size = _SPANS[index]
    return f" {seconds // size}{unit}"
