"""Work items from an inbox folder: one per file, keyed by its content; every other entry of
the folder is reported as skipped, with its reason.

The inbox is a place strangers write to, so an entry is read as what it is, not as what its
name says: a symbolic link is followed only inside the inbox (unless the source allows more),
only regular files are opened, and a file is hashed in chunks (a 3 GiB upload never sits in
memory).
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bots.kernel import WorkItem
from bots.kernel.errors import Problem, RecipeError
from bots.recipe import Recipe
from bots.recipe.environment import project_path
from bots.recipe.model import FolderSource

KEY_LENGTH = 24  # hex digits of SHA-256: unique enough for any inbox, short enough to read

SKIP_REASONS = {
    "HIDDEN": "a hidden file: a dot then a name, as tools name their own files (.DS_Store, "
              "._claim.pdf, .~lock.claim.pdf#); an include pattern starting with '.' takes them",
    "NOT_INCLUDED": "no include pattern of the source matches the name",
    "EXCLUDED": "an exclude pattern of the source matches the name",
    "SYMLINK_OUTSIDE": "a symbolic link to a place outside the inbox; the source's "
                       "follow_symlinks: true takes such files",
    "NOT_A_FILE": "a folder, a pipe, a device, or a link to nothing: no document to read",
    "UNREADABLE": "the file could not be opened or read (permissions, or it went away)",
}


@dataclass(frozen=True)
class Skipped:
    """An entry of an inbox that is no work item, and why (a key of SKIP_REASONS)."""

    name: str
    reason: str
    source: str = "inbox"
    detail: str = ""


def scan_folder(recipe: Recipe, source: FolderSource) -> tuple[list[WorkItem], list[Skipped]]:
    """One item per matching file of an inbox folder, in name order; the entries skipped."""
    folder = project_path(recipe, source.folder)
    if not folder.is_dir():
        raise RecipeError([Problem(str(recipe.path), 0, 0,
                                   f"the inbox folder {folder} does not exist",
                                   "create it or fix the source's folder")])
    root = folder.resolve()
    items: list[WorkItem] = []
    skipped: list[Skipped] = []
    for path in sorted(folder.iterdir()):
        found = _entry(path, root, source)
        if isinstance(found, Skipped):
            skipped.append(found)
        else:
            items.append(found)
    return items, skipped


def _entry(path: Path, root: Path, source: FolderSource) -> WorkItem | Skipped:
    """The work item one entry of the inbox makes, or why it makes none."""
    reason = name_reason(path.name, source)
    if reason:
        return Skipped(path.name, reason, source.name)
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a link to nothing, or a loop of links
        return Skipped(path.name, "NOT_A_FILE", source.name, "a link to nothing")
    if not source.follow_symlinks and not target.is_relative_to(root):
        return Skipped(path.name, "SYMLINK_OUTSIDE", source.name, f"-> {target}")
    try:
        return _read_item(path.name, target, source.name)
    except _NotAFile as error:
        return Skipped(path.name, "NOT_A_FILE", source.name, str(error))
    except OSError as error:
        return Skipped(path.name, "UNREADABLE", source.name, error.strerror or str(error))


def name_reason(name: str, source: FolderSource) -> str:
    """Why the name alone keeps a file out of the inbox's items ('' when it does not)."""
    if _hidden(name) and not any(pattern.startswith(".") and fnmatch.fnmatch(name, pattern)
                                 for pattern in source.include):
        return "HIDDEN"
    if not any(fnmatch.fnmatch(name, pattern) for pattern in source.include):
        return "NOT_INCLUDED"
    if any(fnmatch.fnmatch(name, pattern) for pattern in source.exclude):
        return "EXCLUDED"
    return ""


def _hidden(name: str) -> bool:
    """A dot then a name (`.DS_Store`); `..pdf` is a document whose name lost its stem."""
    return len(name) > 1 and name[0] == "." and name[1] != "."


class _NotAFile(Exception):
    """The entry is a folder, a pipe, a socket or a device."""


def _read_item(name: str, target: Path, source: str) -> WorkItem:
    """The item for a regular file, keyed by a hash of its bytes (a re-dropped copy is the
    same item), hashed from the very file checked (nothing swapped in between)."""
    if not stat.S_ISREG(os.stat(target).st_mode):  # never open a pipe or a device
        raise _NotAFile(_kind(os.stat(target).st_mode))
    # O_NOFOLLOW: a link swapped in after resolving is refused; O_NONBLOCK: a pipe swapped in
    # does not hang the run
    fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise _NotAFile(_kind(status.st_mode))
        digest = hashlib.file_digest(handle, "sha256").hexdigest()[:KEY_LENGTH]
    return WorkItem(key=digest, name=name, path=str(target),
                    arrived_at=_timestamp(status.st_mtime), data={"source": source})


def _kind(mode: int) -> str:
    kinds = {stat.S_ISDIR: "a folder", stat.S_ISFIFO: "a pipe", stat.S_ISSOCK: "a socket",
             stat.S_ISCHR: "a device", stat.S_ISBLK: "a device"}
    return next((kind for test, kind in kinds.items() if test(mode)), "not a regular file")


def arrived_at(path: Path) -> str:
    """When a file arrived: its modification time, as an ISO timestamp."""
    return _timestamp(path.stat().st_mtime)


def _timestamp(mtime: float) -> str:
    return datetime.fromtimestamp(mtime, UTC).isoformat(timespec="seconds")
