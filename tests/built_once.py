"""Work several test modules need, done once per test session even across xdist workers.

Real runs of the demos take half a minute; two modules that read the same runs share one
build instead of each running them. The first module to ask builds the folder under a lock
in the session's temporary root (which every xdist worker of the session shares); the others
wait for it, or find it done. Each module gets its own copy, so that a test writing into its
state changes nothing another module reads. A build that failed leaves no mark: the next
module that asks builds again (and fails in its own test, with its own message).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

DONE = ".built"


def session_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this whole session: under xdist, the one the workers share."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], None]) -> Path:
    """The session's folder `name`, filled by `build(folder)` the first time it is asked for."""
    root = session_root(tmp_path_factory)
    folder = root / f"built-{name}"
    with (root / f"built-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (folder / DONE).is_file():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed part way
            folder.mkdir(parents=True)
            build(folder)
            (folder / DONE).touch()
    return folder


def copy_of(tmp_path_factory: pytest.TempPathFactory, name: str,
            build: Callable[[Path], None], part: str) -> Path:
    """A copy, this module's own, of `part` (a file or folder) of the session's build `name`."""
    source = built_once(tmp_path_factory, name, build) / part
    target = tmp_path_factory.mktemp(name) / part
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)
    return target
