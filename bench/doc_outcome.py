"""One document through a recipe's pdf step, as `runner.py try` runs it, read for the bench.

``read_document`` returns a ``Reading``: the values the step returned (or, when it raised, the
values it had read: the error's ``partial``), the layout, the seconds it took, and which fields
a person is told to look at. A problem naming a field flags that field (a table's problem
flags its cell, or its row, or the whole table when it names neither); an exception that
names no field (an unknown layout, an unreadable file) flags every field of the document,
since nothing of it is keyed without a person.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.commands.try_run import run_on
from bots.commands.try_step import pick_step
from bots.kernel.errors import BotError
from bots.recipe import Recipe

EVERY_FIELD = "*"


@dataclass
class Reading:
    """What the step read from one document and what it asked a person to check."""

    values: dict[str, Any]
    layout: str | None
    seconds: float
    problems: list[dict[str, Any]] = field(default_factory=list)

    def flags(self, name: str) -> list[str]:
        """The codes of the problems that concern field ``name`` ('lines[2].amount' too)."""
        return [str(problem.get("code")) for problem in self.problems
                if concerns(flagged_name(problem), name)]

    def problem_codes(self) -> list[str]:
        return [f"{problem.get('field') or EVERY_FIELD}:{problem.get('code')}"
                for problem in self.problems]


def flagged_name(problem: dict[str, Any]) -> str:
    """What a problem is about: a field, a table's row ('lines[4]') or cell ('lines[4].amount').

    Tables number their rows from 1 in problems; the bench's cells count from 0."""
    name = str(problem.get("field") or EVERY_FIELD)
    row = problem.get("row")
    if name == EVERY_FIELD or not isinstance(row, int):
        return name
    column = problem.get("column")
    return f"{name}[{row - 1}]" + (f".{column}" if column else "")


def concerns(flagged: str, name: str) -> bool:
    """Whether a problem on field ``flagged`` is about the (flattened) field ``name``."""
    return flagged in (EVERY_FIELD, name) or name.startswith((f"{flagged}[", f"{flagged}."))


@dataclass(frozen=True)
class FieldVerdict:
    """One truth field of one document: its bucket, the truth, what was read, the flags."""

    field: str
    bucket: str
    truth: Any
    value: Any
    flags: list[str]

    def as_data(self) -> dict[str, Any]:
        return {"field": self.field, "bucket": self.bucket, "truth": self.truth,
                "value": self.value, "flags": self.flags}


def read_document(recipe: Recipe, path: Path) -> Reading:
    """Run the recipe's first pdf step on ``path``, timing it."""
    step = pick_step(recipe, None)
    started = time.perf_counter()
    result, error = run_on(recipe, step, path)
    seconds = round(time.perf_counter() - started, 4)
    read = result if isinstance(result, dict) else {}
    if error is not None:
        read = error.details.get("partial") or {}
    values = {key: value for key, value in read.items() if not key.startswith("_")}
    return Reading(values, read.get("_layout"), seconds, problems_of(error))


def problems_of(error: BotError | None) -> list[dict[str, Any]]:
    """The step's problems as dicts with a field ('*' for the whole document)."""
    if error is None:
        return []
    listed = error.details.get("problems")
    if isinstance(listed, list) and listed:
        return [problem if isinstance(problem, dict) else {"code": "?", "message": str(problem)}
                for problem in listed]
    return [{"field": error.details.get("field") or EVERY_FIELD, "code": error.code,
             "message": error.message}]
