"""What a recipe takes from the environment: the variables it names, the paths it gives."""

from __future__ import annotations

from pathlib import Path

from bots.kernel.errors import BotError
from bots.kernel.refs import references_in, resolve
from bots.recipe import Recipe
from bots.secrets import EnvScope, read_env


def project_path(recipe: Recipe, value: str) -> Path:
    """A path from the recipe (env references allowed), resolved against the project root."""
    path = Path(str(resolve(value, {"env": EnvScope(recipe.model.secrets)})))
    return path if path.is_absolute() else recipe.base_dir / path


def missing_env(recipe: Recipe) -> list[str]:
    """The environment variables the recipe references that are not set."""
    values = [recipe.model.model_dump(by_alias=True, warnings=False), recipe.sections]
    names = {ref.path[0] for ref in references_in(values) if ref.root == "env" and ref.path}
    return sorted(name for name in names if read_env(name) is None)


def check_env(recipe: Recipe) -> None:
    """Stop before any item runs when the recipe needs variables the environment lacks."""
    missing = missing_env(recipe)
    if missing:
        raise BotError(f"{recipe.path} needs environment variables that are not set: "
                       f"{', '.join(missing)}. Set them in the environment or in a .env file "
                       f"in {Path.cwd()}.", code="CONFIG_MISSING")
