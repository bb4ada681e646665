"""The last days' figures for the insights page: throughput, exception rate, top codes per step.

An item counts on the day it was last updated while done or in the exception queue: the day the
bot (or a resubmit) finished with it, or a person last touched it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from markupsafe import Markup

from bots.ledger import Ledger
from bots.review import charts

WINDOW_DAYS = 7
TOP_CODES = 3
FINISHED = ("done", "exception")


@dataclass(frozen=True)
class Insights:
    """The figures and their charts."""

    days: list[str]
    done: list[int]
    exceptions: list[int]
    rate: float | None
    codes_by_step: dict[str, list[tuple[str, int]]]
    charts: dict[str, Markup]


def window(today: date, size: int = WINDOW_DAYS) -> list[str]:
    """The ISO dates of the last ``size`` days, oldest first, ending today."""
    return [(today - timedelta(days=back)).isoformat() for back in range(size - 1, -1, -1)]


def insights(ledger: Ledger, today: date | None = None) -> Insights:
    """Throughput, exception rate and top codes per step over the last week."""
    days = window(today or datetime.now(UTC).date())
    finished = [row for row in ledger.find_items()
                if row["status"] in FINISHED and (row["updated_at"] or "")[:10] in days]
    per_day: dict[str, Counter[str]] = {day: Counter() for day in days}
    for row in finished:
        per_day[row["updated_at"][:10]][row["status"]] += 1
    done = [per_day[day]["done"] for day in days]
    failed = [per_day[day]["exception"] for day in days]
    codes = top_codes_by_step([row for row in finished if row["status"] == "exception"])
    return Insights(days, done, failed, _rate(sum(failed), sum(done) + sum(failed)), codes,
                    _charts(days, done, failed, codes))


def top_codes_by_step(rows: list[dict[str, Any]]) -> dict[str, list[tuple[str, int]]]:
    """For each failing step, its most frequent exception codes with their counts."""
    by_step: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        by_step[row["step"] or "-"][row["code"] or "-"] += 1
    ranked = sorted(by_step.items(), key=lambda pair: -sum(pair[1].values()))
    return {step: counts.most_common(TOP_CODES) for step, counts in ranked}


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _charts(days: list[str], done: list[int], failed: list[int],
            codes: dict[str, list[tuple[str, int]]]) -> dict[str, Markup]:
    rates = [_rate(bad, ok + bad) for ok, bad in zip(done, failed, strict=True)]
    drawn = {"throughput": charts.stacked_days(days, done, failed),
             "rate": charts.percent_days(days, rates)}
    for step, counts in codes.items():
        drawn[f"step:{step}"] = charts.horizontal_bars(counts, f"Top codes in step {step}")
    return drawn
