"""`check RECIPE`: validate a recipe without running it."""

from __future__ import annotations

from bots.commands.common import report_recipe_error, say
from bots.engine.summary import EXIT_OK, EXIT_RECIPE
from bots.kernel.errors import RecipeError
from bots.recipe import load_recipe


def check(name_or_path: str) -> int:
    """Print every problem of a recipe (file:line:col) or a one-line OK; the exit code."""
    try:
        recipe = load_recipe(name_or_path)
    except RecipeError as error:
        report_recipe_error(error)
        return EXIT_RECIPE
    say(f"{recipe.path}: OK ({len(recipe.steps)} steps: "
          f"{', '.join(step.id for step in recipe.steps)})")
    return EXIT_OK
