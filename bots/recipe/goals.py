"""Every recipe's service goal, for the `sla` command and the review page."""

from __future__ import annotations

from pathlib import Path

from bots.kernel.errors import BotError, RecipeError
from bots.recipe import load_recipe
from bots.sla.durations import parse_duration
from bots.sla.goal import ServiceGoal

FRAGMENT_SUFFIX = ".snippet.yaml"  # parts to paste into a recipe, not recipes themselves


def load_goals(folder: Path) -> tuple[dict[str, ServiceGoal | None], dict[str, str]]:
    """Each loadable recipe's goal (None: it has none), and why each other recipe did not load."""
    goals: dict[str, ServiceGoal | None] = {}
    broken: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name.endswith(FRAGMENT_SUFFIX):
            continue
        try:
            model = load_recipe(str(path)).model
            goals[model.recipe] = checked(model.service_goal, path)
        except RecipeError as error:  # its problems already say file:line:col
            broken[path.stem] = "\n  ".join(str(problem) for problem in error.problems)
        except (BotError, ValueError, OSError) as error:
            broken[path.stem] = f"{path}: {error}"
    return goals, broken


def checked(goal: ServiceGoal | None, path: Path) -> ServiceGoal | None:
    """The goal, once its durations parse; ValueError naming the file and field otherwise."""
    if goal is None:
        return None
    for field in ("due_after", "at_risk_before"):
        try:
            parse_duration(getattr(goal, field))
        except ValueError as error:
            raise ValueError(f"service_goal.{field}: {error}") from None
    return goal
