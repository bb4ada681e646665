"""`check RECIPE`: validate a recipe without running it, and (unless ``--offline``) what it
names in this installation: files, sheet columns and environment variables."""

from __future__ import annotations

from pathlib import Path

from bots.commands.check_online import env_names, file_problems, files_named
from bots.commands.common import report_recipe_error, say
from bots.engine.summary import EXIT_OK, EXIT_RECIPE
from bots.kernel.errors import Problem, RecipeError
from bots.recipe import Recipe, load_recipe
from bots.secrets import load_dotenv


def check(name_or_path: str, *, offline: bool = False) -> int:
    """Print every problem of a recipe (file:line:col) or a one-line OK; the exit code."""
    try:
        recipe = load_recipe(name_or_path)
    except RecipeError as error:
        report_recipe_error(error)
        return EXIT_RECIPE
    if not offline:
        problems = _installation_problems(recipe)
        if problems:
            report_recipe_error(RecipeError(problems))
            return EXIT_RECIPE
    say(f"{recipe.path}: OK ({len(recipe.steps)} steps: "
        f"{', '.join(step.id for step in recipe.steps)})")
    found = ", ".join(files_named(recipe)) or "nothing to look for"
    say("offline: files, sheet columns and environment variables were not checked" if offline
        else f"here: found {found}, with every sheet and column the recipe names")
    return EXIT_OK


def _installation_problems(recipe: Recipe) -> list[Problem]:
    """Files, columns and variables that are not there; says which variables are set."""
    load_dotenv(Path(".env"))  # as `run` does: a variable set there counts
    names = env_names(recipe)
    if names.present:  # names only: the values may be secrets
        say(f"environment: set: {', '.join(names.present)}")
    problems = file_problems(recipe) + names.missing
    return sorted(set(problems), key=lambda p: (p.line, p.col, p.message))
