"""One recipe's figures over a period, computed in one pass over its items' histories.

    finished      items the bot first finished in the period (their first `item.ended`),
                  per day: done straight away, or an exception
    rate          exceptions / finished
    needed        finished items a person decided (resolved, rejected, approved, corrected,
                  retried) or that still wait for one (an open exception); the rest the bot
                  finished alone (automatic retries included)
    codes         every code that stopped a finished item, per step: items per (step, code)
    waits         from an item's arrival in the exception queue (its first unanswered
                  exception) to a person's first decision on it, for decisions in the period:
                  the median, and the 90th percentile by nearest rank (the wait 90 % of
                  decisions came within)
    waiting       open exceptions now, with how long each has waited
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from bots.kernel.errors import CODES
from bots.review.insights_period import Period
from bots.review.insights_rows import History
from bots.sla.durations import parse_time

PERSON_KINDS = ("resolved", "rejected", "approved", "corrected", "retried")


@dataclass(frozen=True)
class CodeCount:
    """How many items one code stopped at a step, and what the code means."""

    code: str
    count: int
    meaning: str


@dataclass(frozen=True)
class Waiting:
    """An open exception and how long it has waited for a person (seconds)."""

    item_id: str
    name: str
    code: str
    wait_s: float


@dataclass(frozen=True)
class Figures:
    """What the page shows for one recipe over one period."""

    recipe: str
    days: list[str]
    done: list[int]
    exceptions: list[int]
    people: dict[str, int]  # PERSON_KINDS and "waiting" -> items
    codes: list[tuple[str, list[CodeCount]]]  # per step, most items first
    waits: list[float]  # seconds, sorted
    waiting: list[Waiting]  # longest wait first

    @property
    def finished(self) -> int:
        return sum(self.done) + sum(self.exceptions)

    @property
    def rate(self) -> float | None:
        return sum(self.exceptions) / self.finished if self.finished else None

    @property
    def needed(self) -> int:
        return sum(self.people.values())

    @property
    def needed_share(self) -> float | None:
        return self.needed / self.finished if self.finished else None

    @property
    def median_wait(self) -> float | None:
        return statistics.median(self.waits) if self.waits else None

    @property
    def p90_wait(self) -> float | None:
        return percentile(self.waits, 0.9)


def percentile(ordered: list[float], share: float) -> float | None:
    """The nearest-rank percentile of sorted values: the smallest one that `share` of them
    do not exceed."""
    if not ordered:
        return None
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def figures(recipe: str, histories: list[History], period: Period, now: datetime) -> Figures:
    """The recipe's figures over the period, at `now`."""
    tally = Tally(period, now)
    for history in histories:
        tally.add(history)
    return tally.figures(recipe)


@dataclass
class Tally:
    """The counts of one pass over a recipe's items."""

    period: Period
    now: datetime
    per_day: dict[str, Counter[str]] = field(default_factory=dict)
    people: Counter[str] = field(default_factory=Counter)
    stops: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    waits: list[float] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)

    def add(self, history: History) -> None:
        """Count one item: its first end when in the period, its waits, whether it waits."""
        end = history.first_end()
        if end and self.period.holds(end[0]):
            self.per_day.setdefault(end[0][:10], Counter())[end[1]] += 1
            self.people[person_kind(history)] += 1
            for step, code in history.all_stops():
                self.stops[step][code] += 1
        answered, pending = queue_waits(history)
        self.waits.extend(seconds for at, seconds in answered if self.period.holds(at))
        if is_waiting(history):
            since = pending or str(history.item["updated_at"])
            self.waiting.append(Waiting(history.item["item_id"], history.item["name"],
                                        history.item["code"] or "-", _between(since, self.now)))

    def figures(self, recipe: str) -> Figures:
        days = self.period.days
        counts = [self.per_day.get(day, Counter()) for day in days]
        return Figures(recipe, days, [c["done"] for c in counts], [c["exception"] for c in counts],
                       {kind: self.people[kind] for kind in (*PERSON_KINDS, "waiting")},
                       _ranked(self.stops), sorted(self.waits),
                       sorted(self.waiting, key=lambda w: -w.wait_s))


def is_waiting(history: History) -> bool:
    """True for an open exception: a person owes it a decision."""
    return bool(history.item["status"] == "exception"
                and history.item["review_state"] == "open")


def person_kind(history: History) -> str:
    """What a person did with the item (the weightiest decision), "waiting" while an open
    exception, or "" when the bot finished it alone."""
    kinds = {kind for _, kind in history.decisions}
    if history.item["review_state"] in ("resolved", "rejected"):
        kinds.add(str(history.item["review_state"]))  # closed before audits were kept
    decided = next((kind for kind in PERSON_KINDS if kind in kinds), "")
    return decided or ("waiting" if is_waiting(history) else "")


def queue_waits(history: History) -> tuple[list[tuple[str, float]], str | None]:
    """Each person's decision with the seconds since the item arrived in the queue, and when
    the still unanswered arrival was (None when the item is not waiting)."""
    timeline = sorted([(at, 0, status) for at, status in history.ends]
                      + [(at, 1, "decision") for at, _ in history.decisions])  # ends first
    pending: str | None = None
    answered = []
    for at, _, what in timeline:
        if what == "exception" and pending is None:
            pending = at
        elif what == "done":
            pending = None  # the bot finished it: no longer in the queue
        elif what == "decision" and pending is not None:
            answered.append((at, _between(pending, parse_time(at))))
            pending = None
    return answered, pending


def _between(since: str, until: datetime) -> float:
    return max((until - parse_time(since)).total_seconds(), 0.0)


def _ranked(stops: dict[str, Counter[str]]) -> list[tuple[str, list[CodeCount]]]:
    """Steps with the most stopped items first; each step's codes by count, then by name."""
    steps = sorted(stops.items(), key=lambda pair: (-sum(pair[1].values()), pair[0]))
    return [(step, [CodeCount(code, count, CODES.get(code, ""))
                    for code, count in sorted(counts.items(), key=lambda p: (-p[1], p[0]))])
            for step, counts in steps]
