"""Where healing keeps what it knows: ``<state>/heal/<recipe>/``, plain JSON a person can read.

    <step id>.json          the fingerprints of the controls the step used at its last successes
    evidence/               screenshots: a screen when a fingerprint was first kept or changed,
                            and the screen a control was healed on
    proposals/<id>.json     proposed recipe changes (see proposals.py)
    recipe.json             the recipe file a run of this recipe read (for `heal accept`)

Writes are whole files written aside and renamed into place under a lock file, so concurrent
items and worker processes never see half a file nor lose each other's changes.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def now() -> str:
    """The time, as every heal file says it (UTC, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def safe_name(text: str) -> str:
    """A recipe or step name as a file name (no path separators, nothing surprising)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "_"


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from a file; {} when the file is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write a JSON object atomically: aside in the same folder, then renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=2, ensure_ascii=False, default=str)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class HealStore:
    """One recipe's heal folder."""

    def __init__(self, state_dir: Path, recipe: str) -> None:
        self.recipe = recipe
        self.folder = Path(state_dir) / "heal" / safe_name(recipe)

    @property
    def proposals_dir(self) -> Path:
        return self.folder / "proposals"

    @property
    def evidence_dir(self) -> Path:
        return self.folder / "evidence"

    def step_path(self, step_id: str) -> Path:
        return self.folder / f"{safe_name(step_id)}.json"

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the recipe's heal lock (read-change-write of its files, across processes)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def controls(self, step_id: str) -> dict[str, Any]:
        """The step's remembered controls, keyed 'field:Policy Number', 'button:Next >'."""
        controls = read_json(self.step_path(step_id)).get("controls")
        return controls if isinstance(controls, dict) else {}

    def save_controls(self, step_id: str, controls: dict[str, Any]) -> None:
        write_json(self.step_path(step_id), {"recipe": self.recipe, "step": step_id,
                                             "controls": controls})

    def rekey(self, step_id: str, what: str, old: str, new: str) -> None:
        """The recipe now names a control `new`: keep its fingerprints under that name."""
        with self.locked():
            controls = self.controls(step_id)
            entry = controls.pop(control_key(what, old), None)
            if entry is not None:
                kept = controls.get(control_key(what, new), {}).get("variants", [])
                entry.update(name=new, variants=(kept + entry.get("variants", []))[-4:])
                controls[control_key(what, new)] = entry
                self.save_controls(step_id, controls)

    def remember_recipe_file(self, path: Path) -> None:
        """Note which recipe file runs of this recipe read (``heal accept`` rewrites it)."""
        target = self.folder / "recipe.json"
        if read_json(target).get("path") != str(path):
            with self.locked():
                write_json(target, {"recipe": self.recipe, "path": str(path)})

    def recipe_file(self) -> Path | None:
        """The recipe file the last run of this recipe read, if known."""
        path = read_json(self.folder / "recipe.json").get("path")
        return Path(path) if path else None


def control_key(what: str, name: str) -> str:
    """How a step's file keys one control: 'field:Policy Number'."""
    return f"{what}:{name}"


def all_stores(state_dir: Path) -> list[HealStore]:
    """Every recipe that has a heal folder under this state folder."""
    root = Path(state_dir) / "heal"
    if not root.is_dir():
        return []
    return [HealStore(state_dir, read_json(folder / "recipe.json").get("recipe") or folder.name)
            for folder in sorted(root.iterdir()) if folder.is_dir()]
