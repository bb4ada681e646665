"""The insights page's choice of period: today, the last 7, 30 or 90 days, or a from/to range.

Days are UTC calendar days, as the ledger stamps its times in UTC. The choice comes from the
page's GET parameters (``period``, ``from``, ``to``) and goes back into its links, so a
bookmark or a shared link shows the same figures. A bad choice never breaks the page: it is
named in a message and the last 7 days are shown instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

PRESETS: dict[str, tuple[int, str]] = {
    "today": (1, "Today"),
    "7d": (7, "Last 7 days"),
    "30d": (30, "Last 30 days"),
    "90d": (90, "Last 90 days"),
}
DEFAULT = "7d"
RANGE = "range"
LONGEST_DAYS = 366


@dataclass(frozen=True)
class Period:
    """The days the figures cover (first and last included) and how the page names them."""

    first: date
    last: date
    choice: str  # a key of PRESETS, or RANGE
    problem: str = ""  # what was wrong with the asked period, when it was

    @property
    def days(self) -> list[str]:
        """Every day of the period as an ISO date, oldest first."""
        count = (self.last - self.first).days + 1
        return [(self.first + timedelta(days=n)).isoformat() for n in range(count)]

    @property
    def label(self) -> str:
        if self.choice in PRESETS:
            return PRESETS[self.choice][1]
        return f"{self.first.isoformat()} to {self.last.isoformat()}"

    def params(self) -> dict[str, str]:
        """The GET parameters that ask for this period again."""
        if self.choice == RANGE:
            return {"from": self.first.isoformat(), "to": self.last.isoformat()}
        return {"period": self.choice}

    def holds(self, stamp: str | None) -> bool:
        """True when an ISO timestamp (or date) falls on one of the period's days."""
        return bool(stamp) and self.first.isoformat() <= (stamp or "")[:10] <= self.last.isoformat()


def preset(choice: str, today: date, problem: str = "") -> Period:
    """The period of a preset ending today."""
    size = PRESETS[choice][0]
    return Period(today - timedelta(days=size - 1), today, choice, problem)


def period_from(params: Mapping[str, str], today: date) -> Period:
    """The period the GET parameters ask for (a from/to range wins over ``period``)."""
    start, end = params.get("from", "").strip(), params.get("to", "").strip()
    if start or end:
        return _range(start, end, today)
    choice = params.get("period", "").strip() or DEFAULT
    if choice not in PRESETS:
        known = ", ".join(PRESETS)
        return preset(DEFAULT, today, f"'{choice}' is not a period: choose one of {known}, "
                                      "or a from and to date")
    return preset(choice, today)


def _range(start: str, end: str, today: date) -> Period:
    """A from/to range; a missing end is today, a missing start is the end's day."""
    try:
        last = date.fromisoformat(end) if end else today
        first = date.fromisoformat(start) if start else last
    except ValueError:
        return preset(DEFAULT, today, f"'{start} to {end}' is not a date range: write both "
                                      "dates as YYYY-MM-DD (for example 2026-07-01)")
    if first > last:
        return preset(DEFAULT, today, f"the range starts ({first}) after it ends ({last}): "
                                      "swap the dates")
    if (last - first).days >= LONGEST_DAYS:
        return preset(DEFAULT, today, f"a range may span at most {LONGEST_DAYS} days; "
                                      f"{first} to {last} is longer")
    return Period(first, last, RANGE)
