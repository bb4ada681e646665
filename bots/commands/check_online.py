"""What `check` looks at in this installation: the files, sheet columns and variables a recipe
names, so that a run does not find out item by item (``check --offline`` skips this).

Inbox folders and workbooks must exist; a sheet source's and each step's workbook must have the
sheet and the columns the recipe names (step types say what they read: ``preflight``); every
``${env.NAME}`` is reported set or missing by name, never with its value (it may be a secret).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bots.kernel.errors import Problem
from bots.kernel.refs import references_in
from bots.kernel.steps import Finding, StepType
from bots.recipe import Recipe
from bots.recipe.environment import project_path
from bots.recipe.model import FolderSource, SheetSource
from bots.recipe.source import RecipeSource, read_source
from bots.recipe.validate import leaves
from bots.secrets import read_env
from bots.sheet_check import Loc, SheetUse, sheet_findings
from bots.steps.registry import all_steps, did_you_mean

SECTIONS = ("before_items", "steps", "after_items", "report")


@dataclass(frozen=True)
class EnvNames:
    """The variables a recipe names: which are set here, and where each missing one is used."""

    present: list[str]
    missing: list[Problem]


def file_problems(recipe: Recipe) -> list[Problem]:
    """Every source folder, workbook, sheet and column the recipe names that is not there."""
    source = read_source(recipe.path)
    problems = [problem for index, spec in enumerate(recipe.model.all_sources)
                for problem in _source_problems(recipe, source, index, spec)]
    for loc, uses, values in _step_uses(recipe):
        step_type = all_steps().get(uses)
        if step_type is None or step_type.preflight is None:
            continue
        for where, message, hint in _preflight(step_type, values):
            problems.append(source.problem((*loc, "with", *where), message, hint))
    return problems


def _preflight(step_type: StepType, values: dict[str, Any]) -> list[Finding]:
    """What the step type's preflight finds; a preflight that fails (a package's own) is
    one finding, never a traceback."""
    assert step_type.preflight is not None
    try:
        return step_type.preflight(values)
    except Exception as error:  # a step package's bug must not stop the other checks
        return [((), f"{step_type.name} could not check what it reads: "
                     f"{type(error).__name__}: {error}", "report it to the step's authors")]


def files_named(recipe: Recipe) -> list[str]:
    """What the recipe names here, counted: ["1 inbox folder", "2 step inputs"]."""
    sources = recipe.model.all_sources
    folders = sum(isinstance(spec, FolderSource) for spec in sources)
    inputs = sum(1 for _, uses, _ in _step_uses(recipe)
                 if getattr(all_steps().get(uses), "preflight", None) is not None)
    counts = ((folders, "inbox folder"), (len(sources) - folders, "source workbook"),
              (inputs, "step input"))
    return [f"{count} {what}{'s' if count != 1 else ''}" for count, what in counts if count]


def _step_uses(recipe: Recipe) -> Iterator[tuple[Loc, str, dict[str, Any]]]:
    """(where, step type, with) of every step of every section, and of each step's check."""
    model = recipe.model
    for section in SECTIONS:
        for index, spec in enumerate(getattr(model, section)):
            yield (section, index), spec.uses, spec.with_
            check = getattr(spec, "check", None)
            if check is not None:
                yield (section, index, "check"), check.uses, check.with_


def _source_problems(recipe: Recipe, source: RecipeSource, index: int,
                     spec: FolderSource | SheetSource) -> list[Problem]:
    loc: Loc = ("source",) if recipe.model.source is not None else ("sources", index)
    written = spec.folder if isinstance(spec, FolderSource) else spec.sheet.path
    if _unresolvable(written):
        return []  # names a variable this environment lacks: reported with the variables
    path = project_path(recipe, written)
    if isinstance(spec, FolderSource):
        if path.is_dir():
            return []
        return [source.problem((*loc, "folder"), f"no inbox folder at {path}",
                               f"create it (mkdir -p {path}) or fix the path")]
    sheet = spec.sheet
    anchor = sheet.group_by or next(iter(sheet.columns))
    base = (*loc, "sheet")
    use = SheetUse(path, sheet.sheet, sheet.header_row,
                   ((*base, "columns", anchor), sheet.columns[anchor]),
                   {(*base, "columns", name): header for name, header in sheet.columns.items()},
                   (*base, "path"), (*base, "sheet"))
    return [source.problem(where, message, hint)
            for where, message, hint in sheet_findings(use)]


def _unresolvable(value: str) -> bool:
    """True when a path names a variable that is not set (or any other reference)."""
    return any(ref.root != "env" or not ref.path or read_env(ref.path[0]) is None
               for ref in references_in(value))


def env_names(recipe: Recipe) -> EnvNames:
    """Every `${env.NAME}` of the recipe, set or missing; a missing one where first used."""
    source = read_source(recipe.path)
    first: dict[str, Loc] = {}
    for loc, leaf in leaves(source.data, ()):
        for ref in references_in(leaf):
            if ref.root == "env" and len(ref.path) == 1:
                first.setdefault(ref.path[0], loc)
    present = sorted(name for name in first if read_env(name) is not None)
    missing = [_missing(source, name, loc) for name, loc in sorted(first.items())
               if name not in present]
    return EnvNames(present, missing)


def _missing(source: RecipeSource, name: str, loc: Loc) -> Problem:
    close = did_you_mean(name, list(os.environ))  # names only: values may be secrets
    where = f"set {name} in the environment or in {Path.cwd() / '.env'}"
    hint = f"{close} Otherwise {where}" if close else where
    return source.problem(loc, f"environment variable {name} is not set", hint)
