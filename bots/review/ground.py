"""What the review server stands on: which database it serves and which settings it lacks.

A page that reads the wrong database shows a calm, empty queue; a page started without the
legacy system's settings resubmits items that then fail with a misleading code. Both are said
out loud instead: the database on start and in every page's footer, the missing settings on
the queue page and in the refusal of the action that needs them.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from bots.kernel.errors import BotError
from bots.recipe import load_recipe
from bots.recipe.environment import missing_env
from bots.recipe.goals import FRAGMENT_SUFFIX


def database_label(url: str) -> str:
    """The database a URL names, for people: the SQLite file, or the server and database
    without the password (it may come from the URL, never shown)."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        return "an unreadable database address"
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite {Path(parsed.database or ':memory:').resolve()}"
    where = f"{parsed.host or 'localhost'}" + (f":{parsed.port}" if parsed.port else "")
    user = f" as {parsed.username}" if parsed.username else ""
    return f"{parsed.get_backend_name()} database '{parsed.database}' on {where}{user}"


def missing_settings(recipes_dir: Path) -> dict[str, list[str]]:
    """Each recipe's environment variables this process lacks (recipes lacking none left out;
    a recipe that does not load is left to `runner.py check`)."""
    missing: dict[str, list[str]] = {}
    for path in sorted(recipes_dir.glob("*.yaml")):
        if path.name.endswith(FRAGMENT_SUFFIX):
            continue
        try:
            recipe = load_recipe(str(path))
        except (BotError, ValueError, OSError):
            continue
        names = missing_env(recipe)
        if names:
            missing[recipe.model.recipe] = names
    return missing


def resubmit_problem(missing: dict[str, list[str]], recipe: str, root: Path) -> str | None:
    """Why a resubmit of an item of ``recipe`` cannot start here, or None when it can."""
    names = missing.get(recipe)
    if not names:
        return None
    return (f"this review server was started without {', '.join(names)}, which the {recipe} "
            f"recipe needs to run an item again (it drives the legacy system). Stop the "
            f"server, set them in the environment or in {root / '.env'}, and start "
            f"`python runner.py review` again")
