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
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import os
import pkgutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

import bots.steps
from bots.kernel import ResourceType, StepType

ENTRY_POINT_GROUP = "bots.steps"
STEPS_PATH_VARIABLE = "BOTS_STEPS_PATH"


@dataclass
class Registry:
    """Every known step type and resource type, and what went wrong while finding them."""

    steps: dict[str, StepType] = field(default_factory=dict)
    resources: dict[str, ResourceType] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, declaration: object, origin: str) -> None:
        """Keep a step or resource type; a second one of the same name is a problem."""
        if isinstance(declaration, StepType):
            if not self._taken(self.steps.get(declaration.name), declaration, origin):
                self.steps[declaration.name] = declaration
        elif isinstance(declaration, ResourceType) and not self._taken(
                self.resources.get(declaration.name), declaration, origin):
            self.resources[declaration.name] = declaration

    def _taken(self, known: object, declaration: StepType | ResourceType, origin: str) -> bool:
        if known is None or known is declaration:
            return False
        self.problems.append(f"{origin}: '{declaration.name}' is declared already; "
                             "this one is ignored")
        return True


@cache
def registry() -> Registry:
    """The registry, built once per process."""
    found = Registry()
    for module in _builtin_modules():
        _add_module(found, module, module.__name__)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        origin = f"entry point '{entry.name}' ({entry.value})"
        try:
            loaded = entry.load()
        except Exception as error:  # a broken package must not stop the others
            found.problems.append(f"{origin} failed to load: {type(error).__name__}: {error}")
            continue
        if isinstance(loaded, ModuleType):
            _add_module(found, loaded, origin)
        else:
            found.add(loaded, origin)
    for path in _local_step_files():
        _add_file(found, path)
    found.steps = dict(sorted(found.steps.items()))
    return found


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


def all_steps() -> dict[str, StepType]:
    """Every step type by name (`pdf.extract_fields` ...)."""
    return registry().steps


def all_resources() -> dict[str, ResourceType]:
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
