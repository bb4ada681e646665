"""Work items from a recipe's source: one per file in the inbox, keyed by content."""

from __future__ import annotations

import fnmatch
import hashlib
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bots.engine.sheet_source import sheet_items
from bots.errors import BotError, Problem, RecipeError
from bots.recipe import Recipe
from bots.recipe.model import FolderSource
from bots.recipe.refs import references_in, resolve
from bots.secrets import read_env
from bots.steps.base import WorkItem

KEY_LENGTH = 24  # hex digits of SHA-256: unique enough for any inbox, short enough to read


def project_path(recipe: Recipe, value: str) -> Path:
    """A path from the recipe (env references allowed), resolved against the project root."""
    path = Path(str(resolve(value, {"env": EnvScope(recipe.model.secrets)})))
    return path if path.is_absolute() else recipe.base_dir / path


def missing_env(recipe: Recipe) -> list[str]:
    """The environment variables the recipe references that are not set."""
    values = recipe.model.model_dump(by_alias=True, warnings=False)
    names = {ref.path[0] for ref in references_in(values) if ref.root == "env" and ref.path}
    return sorted(name for name in names if read_env(name) is None)


def check_env(recipe: Recipe) -> None:
    """Stop before any item runs when the recipe needs variables the environment lacks."""
    missing = missing_env(recipe)
    if missing:
        raise BotError(f"{recipe.path} needs environment variables that are not set: "
                       f"{', '.join(missing)}. Set them in the environment or in a .env file "
                       f"in {Path.cwd()}.", code="CONFIG_MISSING")


def discover_items(recipe: Recipe) -> tuple[list[WorkItem], list[str]]:
    """Every source's items, in order, and the names of inputs that repeat an earlier one."""
    items: dict[str, WorkItem] = {}
    repeats = []
    for source in recipe.model.all_sources:
        found = (folder_items(recipe, source) if isinstance(source, FolderSource)
                 else sheet_items(project_path(recipe, source.sheet.path), source))
        for item in found:
            if item.key in items:
                repeats.append(item.name)
            else:
                items[item.key] = item
    return list(items.values()), repeats


def folder_items(recipe: Recipe, source: FolderSource) -> list[WorkItem]:
    """One item per matching file of an inbox folder, in name order."""
    folder = project_path(recipe, source.folder)
    if not folder.is_dir():
        raise RecipeError([Problem(str(recipe.path), 0, 0,
                                   f"the inbox folder {folder} does not exist",
                                   "create it or fix the source's folder")])
    return [item_for_file(path, source.name) for path in _matching_files(folder, source)]


def _matching_files(folder: Path, source: FolderSource) -> list[Path]:
    return sorted(
        path for path in folder.iterdir()
        if path.is_file() and not path.name.startswith(".")
        and any(fnmatch.fnmatch(path.name, pattern) for pattern in source.include)
        and not any(fnmatch.fnmatch(path.name, pattern) for pattern in source.exclude)
    )


def item_for_file(path: Path, source: str = "inbox") -> WorkItem:
    """A work item for one file, keyed by a hash of its bytes: a re-dropped copy is the same."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:KEY_LENGTH]
    return WorkItem(key=digest, name=path.name, path=str(path.resolve()),
                    arrived_at=arrived_at(path), data={"source": source})


def arrived_at(path: Path) -> str:
    """When a file arrived: its modification time, as an ISO timestamp."""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")


def item_to_data(item: WorkItem) -> dict[str, Any]:
    """Plain data for a workflow's input."""
    return asdict(item)


class EnvScope(dict[str, str]):
    """`${env.NAME}`: environment variables, read when referenced; sensitive ones registered."""

    def __init__(self, secret_names: list[str]) -> None:
        super().__init__()
        self.secret_names = set(secret_names)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._read(name) is not None

    def __getitem__(self, name: str) -> str:
        value = self._read(name)
        if value is None:
            raise KeyError(name)
        return value

    def get(self, name: str, default: Any = None) -> Any:
        value = self._read(name)
        return default if value is None else value

    def _read(self, name: str) -> str | None:
        return read_env(name, sensitive=name in self.secret_names)
