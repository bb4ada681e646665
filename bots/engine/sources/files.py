"""Work items from an inbox folder: one per file, keyed by its content."""

from __future__ import annotations

import fnmatch
import hashlib
from datetime import UTC, datetime
from pathlib import Path

from bots.kernel import WorkItem
from bots.kernel.errors import Problem, RecipeError
from bots.recipe import Recipe
from bots.recipe.environment import project_path
from bots.recipe.model import FolderSource

KEY_LENGTH = 24  # hex digits of SHA-256: unique enough for any inbox, short enough to read


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
