"""A library that a process may never use, imported when first used instead of at start.

DBOS imports the PostgreSQL driver (psycopg) at its own import, for the few lines that tell a
PostgreSQL error from another; with the state in SQLite those lines never run, yet loading the
driver and its bundled libpq cost a run a third of a second on a loaded machine. So when the
state database is not PostgreSQL, ``psycopg`` (and ``psycopg.errors``) are stand-ins that import
the real modules on the first attribute anyone reads: nothing changes but when it is paid.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

DATABASE_VARIABLE = "BOTS_DATABASE_URL"
POSTGRES_DRIVER = ("psycopg", ("errors",))


class Deferred(ModuleType):
    """Stands in ``sys.modules`` for a module not imported yet; any attribute imports it."""

    def __getattr__(self, name: str) -> Any:
        if name == "__path__":  # the import system asking whether it is a package: not yet
            raise AttributeError(name)
        return getattr(real_module(self.__name__), name)


def real_module(name: str) -> ModuleType:
    """The real module behind a stand-in (imported now if need be: the stand-ins of its
    package and its submodules leave ``sys.modules`` first)."""
    if not isinstance(sys.modules.get(name), Deferred):
        return importlib.import_module(name)
    root = name.partition(".")[0]
    for known in [key for key in sys.modules if key == root or key.startswith(f"{root}.")]:
        if isinstance(sys.modules[known], Deferred):
            del sys.modules[known]
    return importlib.import_module(name)


def defer(name: str, submodules: tuple[str, ...] = ()) -> None:
    """Put stand-ins for a package not imported yet (and submodules read from it by name)."""
    if name in sys.modules:
        return
    package = Deferred(name)
    sys.modules[name] = package
    for sub in submodules:
        stand_in = Deferred(f"{name}.{sub}")
        sys.modules[stand_in.__name__] = stand_in
        setattr(package, sub, stand_in)


def defer_postgres_driver(project: Path = Path(".")) -> bool:
    """Defer psycopg unless the state database is, or may be, PostgreSQL; whether it did.

    ``.env`` naming the database at all keeps the driver as it is: it is read later."""
    if os.environ.get(DATABASE_VARIABLE, "").startswith(("postgres", "postgresql")):
        return False
    dotenv = project / ".env"
    if DATABASE_VARIABLE not in os.environ and dotenv.is_file() and \
            DATABASE_VARIABLE in dotenv.read_text(encoding="utf-8", errors="replace"):
        return False
    defer(*POSTGRES_DRIVER)
    return True
