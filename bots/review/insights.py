"""The insights page: per recipe and period, throughput, exception rate, the share of items that
needed a person, every code per step, waits in the queue and the service goal's standing.

Each recipe is a section of its own (steps of two recipes are never mixed); the figures are
defined in bots.review.insights_figures, the period in bots.review.insights_period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from markupsafe import Markup

from bots.kernel.errors import CODES
from bots.ledger import Ledger
from bots.ledger.tables import items
from bots.review import charts
from bots.review.insights_figures import Figures, figures
from bots.review.insights_period import PRESETS, Period, period_from
from bots.review.insights_rows import History, histories
from bots.review.queue import Goals
from bots.sla.goal import ServiceGoal
from bots.sla.states import OPEN_STATES, is_open, state


@dataclass(frozen=True)
class Section:
    """One recipe's figures, its service goal's standing (None: no goal) and its charts."""

    figures: Figures
    goal: str | None  # the goal in words ('2 business days')
    sla: dict[str, int] | None  # open items on time, at risk, breached
    charts: dict[str, Markup]


@dataclass(frozen=True)
class InsightsView:
    """The page: the chosen period and recipe, the choices, one section per recipe shown."""

    period: Period
    recipe: str  # "" for every recipe
    recipes: list[str]
    sections: list[Section]
    problem: str  # what was wrong with the request, said on the page

    def link(self, **changes: str) -> str:
        """The query string of this view with some choices changed (recipe, period)."""
        params = {"recipe": self.recipe, **self.period.params()}
        if "period" in changes:
            params = {"recipe": params["recipe"]}
        params.update(changes)
        return "?" + urlencode({key: value for key, value in params.items() if value})

    presets = PRESETS


def insights(ledger: Ledger, goals: Goals, params: Mapping[str, str],
             now: datetime | None = None) -> InsightsView:
    """The page's figures for the GET parameters (recipe, period or from/to) at `now`."""
    now = now or datetime.now(UTC)
    period = period_from(params, now.date())
    recipes = recipe_names(ledger)
    chosen, problem = params.get("recipe", "").strip(), period.problem
    if chosen and chosen not in recipes:
        problem = f"no items of a recipe named '{chosen}' in this ledger; showing every recipe"
        chosen = ""
    grouped: dict[str, list[History]] = defaultdict(list)
    for history in histories(ledger, chosen or None):
        grouped[history.item["recipe"]].append(history)
    shown = [chosen] if chosen else recipes
    sections = [section(name, grouped[name], goals.get(name), period, now) for name in shown]
    return InsightsView(period, chosen, recipes, sections, problem)


def insights_context(ledger: Ledger, goals: Goals, params: Mapping[str, str]) -> dict[str, Any]:
    """What the page's template needs: the view and the helpers that put it in words."""
    return {"view": insights(ledger, goals, params), "words": in_words, "percent": percent,
            "codes_meaning": CODES}


def recipe_names(ledger: Ledger) -> list[str]:
    """The recipes that have items in the ledger, by name."""
    with ledger.engine.connect() as db:
        found = db.execute(sa.select(items.c.recipe).distinct()).scalars().all()
    return sorted(found)


def section(name: str, rows: list[History], goal: ServiceGoal | None, period: Period,
            now: datetime) -> Section:
    """One recipe's section of the page."""
    drawn = figures(name, rows, period, now)
    standing = goal_standing([row.item for row in rows], goal, now) if goal else None
    return Section(drawn, str(goal.due_after) if goal else None, standing, _charts(drawn))


def goal_standing(rows: list[dict[str, object]], goal: ServiceGoal,
                  now: datetime) -> dict[str, int]:
    """How many open items are on time, at risk and breached (an item with odd dates is
    left out rather than break the page)."""
    counts: dict[str, int] = dict.fromkeys(OPEN_STATES, 0)
    for row in rows:
        try:
            if is_open(row):
                counts[state(row, goal, now)] += 1
        except (ValueError, KeyError, TypeError):
            continue
    return counts


def in_words(seconds: float | None) -> str:
    """A length of time for people: '2 h 10 min', '3 d 4 h', '12 min', '40 s'; '-' for none."""
    if seconds is None:
        return "-"
    whole = int(round(seconds))
    for unit, size, smaller, small_size in (("d", 86400, "h", 3600), ("h", 3600, "min", 60)):
        if whole >= size:
            rest = (whole % size) // small_size
            return f"{whole // size} {unit}" + (f" {rest} {smaller}" if rest else "")
    return f"{whole // 60} min" if whole >= 60 else f"{whole} s"


def percent(share: float | None) -> str:
    """A share for people: '38 %'; '-' when there is nothing to divide."""
    return "-" if share is None else f"{share * 100:.0f} %"


def _charts(drawn: Figures) -> dict[str, Markup]:
    rates = [bad / (ok + bad) if ok + bad else None
             for ok, bad in zip(drawn.done, drawn.exceptions, strict=True)]
    return {"throughput": charts.stacked_days(drawn.days, drawn.done, drawn.exceptions),
            "rate": charts.percent_days(drawn.days, rates)}
