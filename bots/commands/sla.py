"""`sla`: each recipe's items against its service goal, for people (tables) or machines (--json).

Reads the goal of every recipe in recipes/ (a recipe that does not load is reported, not
fatal), reports the ledger's items by state, and raises the alerts of items newly at risk or
breached: logged to state/logs/sla.jsonl and POSTed to the goal's webhook. Exit code 0 when
nothing is breached, 1 when an open item is past its due time (so a scheduler or a monitoring
check alerts on the exit code alone), 2 for a --recipe that names nothing known.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bots import log
from bots.commands.common import database_url, fail, print_json, say, state_dir
from bots.ledger import Ledger
from bots.recipe import RECIPES_DIR
from bots.recipe.goals import load_goals
from bots.secrets import load_dotenv
from bots.sla import raise_alerts, report
from bots.sla.durations import human, parse_time
from bots.sla.goal import ServiceGoal
from bots.steps.registry import did_you_mean
from bots.terminal import printable

BROKEN = "recipe does not load (see problems)"
COLUMNS = (("on time", "on_time"), ("at risk", "at_risk"), ("breached", "breached"),
           ("met", "met"), ("missed", "missed"))


def sla(*, recipe: str | None = None, as_json: bool = False, now: datetime | None = None) -> int:
    """Print the service-goal report and raise due alerts; the exit code."""
    load_dotenv(Path(".env"))
    now = now or datetime.now(UTC)
    goals, broken = load_goals(RECIPES_DIR)
    ledger = Ledger(database_url())
    try:
        if recipe and not _known(recipe, goals, broken, ledger):
            return 2
        data = report(ledger, recipe, goals, now)
        _mark_broken(data, broken)
        data["alerts"] = _alerts(ledger, data, goals, now)
    finally:
        ledger.close()
    data["problems"] = [text for name, text in broken.items() if not recipe or name == recipe]
    if as_json:
        print_json(data)
    else:
        say(describe(data))
    return 1 if breached(data) else 0


def breached(data: dict[str, Any]) -> int:
    """How many open items are past their due time, over the recipes reported."""
    return sum((entry.get("counts") or {}).get("breached", 0) for entry in data["recipes"])


def _known(recipe: str, goals: dict[str, Any], broken: dict[str, str], ledger: Ledger) -> bool:
    if recipe in goals or recipe in broken or ledger.find_items(recipe=recipe):
        return True
    names = sorted({*goals, *broken})
    fail(f"no recipe named '{recipe}' in {RECIPES_DIR}/ and no items of it in the ledger; "
         + (did_you_mean(recipe, names) or f"recipes: {', '.join(names) or 'none'}"))
    return False


def _mark_broken(data: dict[str, Any], broken: dict[str, str]) -> None:
    """A recipe that does not load has a goal nobody can read: say so, not 'no service goal'."""
    for section in data["recipes"]:
        if section["recipe"] in broken:
            section["note"] = BROKEN


def _alerts(ledger: Ledger, data: dict[str, Any], goals: dict[str, ServiceGoal | None],
            now: datetime) -> list[dict[str, Any]]:
    handle = log.configure(state_dir() / "logs" / "sla.jsonl", to_stdout=False)
    try:
        return raise_alerts(ledger, data, goals, now)
    finally:
        if handle:
            handle.close()


def describe(data: dict[str, Any]) -> str:
    """The report as text: a small table per recipe, then its at-risk and breached items."""
    lines = [f"Service goals at {_when(data['at'])}", ""]
    for section in data["recipes"]:
        lines += _section(section) + [""]
    if not data["recipes"]:
        lines += ["No recipe and no item to report.", ""]
    if data["alerts"]:
        lines.append(f"{len(data['alerts'])} alert(s) raised (logged to "
                     f"{state_dir() / 'logs' / 'sla.jsonl'}).")
    lines += [f"problem: {text}" for text in data["problems"]]
    return "\n".join(lines).rstrip()


def _section(section: dict[str, Any]) -> list[str]:
    name = section["recipe"]
    if section["goal"] is None:
        return [f"{name}: {section['note']} ({section['items']} item(s))"]
    goal = section["goal"]
    lines = [f"{name}: done within {goal['due_after']}, at risk {goal['at_risk_before']} before",
             "  " + "  ".join(label for label, _ in COLUMNS),
             "  " + "  ".join(f"{section['counts'][key]:>{len(label)}}" for label, key in COLUMNS)]
    oldest = section["oldest_open"]
    if oldest:
        lines.append(f"  oldest open: {printable(oldest['name'])}, {human(oldest['age_s'])} old, "
                     f"due {_when(oldest['due_at'])}")
    late = [row for row in section["open"] if row["state"] in ("breached", "at_risk")]
    lines += [_late_row(row) for row in late]
    return lines


def _late_row(row: dict[str, Any]) -> str:
    due = (f"overdue by {human(row['due_in_s'])}" if row["due_in_s"] < 0
           else f"due in {human(row['due_in_s'])}")
    state = row["state"].replace("_", " ")
    return f"  {state:<9} {printable(row['name']):<32} {row['code'] or '-':<22} {due}"


def _when(text: str) -> str:
    return parse_time(text).strftime("%Y-%m-%d %H:%M UTC")
