"""Finds every step type and resource type: the built-ins and those of installed packages.

Built-ins are one module per step type under ``bots/steps/<namespace>/<verb>_<noun>.py``; a
namespace package may also declare the resource type its steps need. A package outside bots/
adds its own by naming a module (or one declaration) in the ``bots.steps`` entry-point group:

    [project.entry-points."bots.steps"]
    tally = "tally_steps"          # every StepType and ResourceType the module declares

Without packaging, a folder of step modules does the same: every ``*.py`` file in the folders
named by ``BOTS_STEPS_PATH`` (separated like PATH) is loaded, and what it declares is added.

A package or file that fails to load, or that declares a name already taken, is reported,
never fatal.

Nothing is imported before it is asked for: a run imports the step modules its recipe names
(and through them their families: the browser only for web steps), while listing the step
types (`steps`, did-you-mean) imports them all.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import os
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType
from typing import TypeVar

import bots.steps
from bots.kernel import ResourceType, StepType

ENTRY_POINT_GROUP = "bots.steps"
STEPS_PATH_VARIABLE = "BOTS_STEPS_PATH"
V = TypeVar("V", StepType, ResourceType)
_STEPS_DIR = Path(bots.steps.__file__).parent
_BUILTIN_NAME = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


class Declared(MutableMapping[str, V]):
    """Declarations of one kind by name; a name not seen yet is looked for when first asked.

    Looking up one name imports only the module that declares it; listing them all (iterating)
    imports every built-in module, entry point and local step file."""

    def __init__(self, find: Callable[[str], None], find_all: Callable[[], None]) -> None:
        self.known: dict[str, V] = {}
        self._find, self._find_all = find, find_all

    def __getitem__(self, name: str) -> V:
        if name not in self.known:
            self._find(name)
        return self.known[name]

    def __setitem__(self, name: str, value: V) -> None:
        self.known[name] = value

    def __delitem__(self, name: str) -> None:
        del self.known[name]

    def __iter__(self) -> Iterator[str]:
        self._find_all()
        return iter(self.known)

    def __len__(self) -> int:
        self._find_all()
        return len(self.known)


class Registry:
    """Every known step type and resource type, and what went wrong while finding them.

    A run imports only the step modules its recipe names: a built-in step type
    ``<ns>.<verb>_<noun>`` lives in ``bots/steps/<ns>/<verb>_<noun>.py`` and a built-in
    resource type in the namespace package of its name (``bots/steps/web``). Built-ins always
    win over a package declaring the same name, so a built-in name never needs the others."""

    def __init__(self) -> None:
        self.steps: Declared[StepType] = Declared(self._find_step, self.load_all)
        self.resources: Declared[ResourceType] = Declared(self._find_resource, self.load_all)
        self._problems: list[str] = []
        self._complete = False

    @property
    def problems(self) -> list[str]:
        """What failed to load or clashed, once everything was looked at."""
        self.load_all()
        return self._problems

    def add(self, declaration: object, origin: str) -> None:
        """Keep a step or resource type; a second one of the same name is a problem."""
        if isinstance(declaration, StepType):
            if not self._taken(self.steps.known.get(declaration.name), declaration, origin):
                self.steps.known[declaration.name] = declaration
        elif isinstance(declaration, ResourceType) and not self._taken(
                self.resources.known.get(declaration.name), declaration, origin):
            self.resources.known[declaration.name] = declaration

    def _taken(self, known: object, declaration: StepType | ResourceType, origin: str) -> bool:
        if known is None or known is declaration:
            return False
        self._problems.append(f"{origin}: '{declaration.name}' is declared already; "
                              "this one is ignored")
        return True

    def load_all(self) -> None:
        """Import every built-in step module, entry point and local step file (once)."""
        if self._complete:
            return
        self._complete = True
        for module in _builtin_modules():
            _add_module(self, module, module.__name__)
        for entry in entry_points(group=ENTRY_POINT_GROUP):
            self._add_entry_point(entry)
        for path in _local_step_files():
            _add_file(self, path)
        self.steps.known = dict(sorted(self.steps.known.items()))

    def _add_entry_point(self, entry: EntryPoint) -> None:
        origin = f"entry point '{entry.name}' ({entry.value})"
        try:
            loaded = entry.load()
        except Exception as error:  # a broken package must not stop the others
            self._problems.append(f"{origin} failed to load: {type(error).__name__}: {error}")
            return
        if isinstance(loaded, ModuleType):
            _add_module(self, loaded, origin)
        else:
            self.add(loaded, origin)

    def _find_step(self, name: str) -> None:
        namespace, _, verb_noun = name.partition(".")
        if _BUILTIN_NAME.fullmatch(name) and (_STEPS_DIR / namespace / f"{verb_noun}.py").is_file():
            self._add_builtin(f"bots.steps.{namespace}", verb_noun)
        if name not in self.steps.known:
            self.load_all()

    def _find_resource(self, name: str) -> None:
        if _BUILTIN_NAME.fullmatch(f"{name}.x") and (_STEPS_DIR / name / "__init__.py").is_file():
            self._add_builtin(f"bots.steps.{name}")
        if name not in self.resources.known:
            self.load_all()

    def _add_builtin(self, package: str, module: str = "") -> None:
        """A namespace package's declarations, and those of one of its modules."""
        for name in filter(None, (package, module and f"{package}.{module}")):
            _add_module(self, importlib.import_module(name), name)


@cache
def registry() -> Registry:
    """The registry, one per process; it finds declarations as they are asked for."""
    return Registry()


def _local_step_files() -> list[Path]:
    """The step modules of the folders in BOTS_STEPS_PATH (a missing folder is reported)."""
    folders = [Path(part) for part in os.environ.get(STEPS_PATH_VARIABLE, "").split(os.pathsep)
               if part.strip()]
    return [file for folder in folders for file in sorted(folder.glob("*.py"))] + \
        [folder for folder in folders if not folder.is_dir()]


def _add_file(found: Registry, path: Path) -> None:
    """Load one step module by its path; a file that fails is a problem, not a crash."""
    origin = f"{STEPS_PATH_VARIABLE} file {path}"
    if not path.is_file():
        found.problems.append(f"{STEPS_PATH_VARIABLE}: {path} is not a folder of step modules")
        return
    try:
        spec = importlib.util.spec_from_file_location(f"bots_local_steps.{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except Exception as error:  # an author's module must not stop the others
        found.problems.append(f"{origin} failed to load: {type(error).__name__}: {error}")
        return
    _add_module(found, module, origin)


def all_steps() -> MutableMapping[str, StepType]:
    """Every step type by name (`pdf.extract_fields` ...)."""
    return registry().steps


def all_resources() -> MutableMapping[str, ResourceType]:
    """Every resource type by name (`web` ...)."""
    return registry().resources


def _builtin_modules() -> Iterator[ModuleType]:
    """The step namespace packages under bots.steps and every module inside them."""
    for info in pkgutil.iter_modules(bots.steps.__path__):
        if not info.ispkg:
            continue
        package = importlib.import_module(f"bots.steps.{info.name}")
        yield package
        for module_info in pkgutil.iter_modules(package.__path__):
            yield importlib.import_module(f"{package.__name__}.{module_info.name}")


def _add_module(found: Registry, module: ModuleType, origin: str) -> None:
    for value in vars(module).values():
        found.add(value, origin)


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """'did you mean X?' for the closest choice, or an empty string."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
