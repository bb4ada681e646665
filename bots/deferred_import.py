"""Libraries that a process may never use, imported when first used instead of at start.

DBOS imports the PostgreSQL driver (psycopg) at its own import, for the few lines that tell a
PostgreSQL error from another; with the state in SQLite those lines never run, yet loading the
driver and its bundled libpq cost a run a third of a second on a loaded machine. It also
imports PyYAML (for a dbos-config.yaml, which we never use: the config is given) and click (for
its command line). So these are stand-ins that import the real modules on the first attribute
anyone reads: nothing changes but when it is paid (psycopg only when the state database is not
PostgreSQL).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

DATABASE_VARIABLE = "BOTS_DATABASE_URL"
POSTGRES_DRIVER = ("psycopg", ("errors",))
UNUSED_BY_DBOS_HERE = ("yaml", "click")  # its config file and its command line
# what the import system and introspection (inspect.getmodule walks every module) ask a module
# about itself: answered "not here" rather than importing the real module for it
QUIET_NAMES = frozenset({"__path__", "__file__", "__cached__", "__loader__", "__spec__",
                         "__package__", "__builtins__", "__warningregistry__"})


class Deferred(ModuleType):
    """Stands in ``sys.modules`` for a module not imported yet; any attribute imports it.

    A package's stand-in has the real package's ``__path__``, so that a submodule imported by
    its full name is found where it is."""

    def __getattr__(self, name: str) -> Any:
        if name in QUIET_NAMES and isinstance(sys.modules.get(self.__name__), Deferred):
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
    found = importlib.machinery.PathFinder.find_spec(name)
    if found is None:  # not installed: its import fails at its place, as it would have
        return
    package = Deferred(name)
    if found.submodule_search_locations is not None:
        package.__path__ = list(found.submodule_search_locations)
    sys.modules[name] = package
    for sub in submodules:
        stand_in = Deferred(f"{name}.{sub}")
        sys.modules[stand_in.__name__] = stand_in
        setattr(package, sub, stand_in)


def defer_unused_libraries(project: Path = Path(".")) -> None:
    """Defer what DBOS imports and a run of this toolkit may never use (see above)."""
    for name in UNUSED_BY_DBOS_HERE:
        defer(name)
    defer_postgres_driver(project)


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
