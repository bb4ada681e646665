"""Finds every step type: one module per type under bots/steps/<namespace>/<verb>_<noun>.py."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from collections.abc import Iterable
from functools import cache

import bots.steps
from bots.steps.base import StepType


@cache
def all_steps() -> dict[str, StepType]:
    """Every declared step type by name (`pdf.extract_fields` ...), imported once."""
    found: dict[str, StepType] = {}
    for namespace in _namespaces():
        package = importlib.import_module(f"bots.steps.{namespace}")
        for module_info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{module_info.name}")
            for value in vars(module).values():
                if isinstance(value, StepType):
                    found[value.name] = value
    return dict(sorted(found.items()))


def _namespaces() -> list[str]:
    """The step namespaces: the sub-packages of bots.steps."""
    return [info.name for info in pkgutil.iter_modules(bots.steps.__path__) if info.ispkg]


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """'did you mean X?' for the closest choice, or an empty string."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
