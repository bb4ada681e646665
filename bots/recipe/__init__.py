"""Recipes: YAML files that say what a bot does, validated as a whole before any item runs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bots.kernel import StepType
from bots.kernel.errors import Problem, RecipeError
from bots.recipe.fields import check_output_fields, step_values
from bots.recipe.model import RecipeModel, ReportSpec, SheetSource, StepSpec
from bots.recipe.phases import BatchPhases, bind_phases, phase_uses
from bots.recipe.phases import Step as Step  # re-exported: engine modules import it from here
from bots.recipe.sections import Sections, Use, check_needs, check_sections, split_sections
from bots.recipe.source import RecipeSource, plain, read_source
from bots.recipe.validate import (
    BATCH,
    ITEM_FIELDS,
    check_batch_references,
    check_params,
    check_references,
    check_structure,
    check_uses,
)
from bots.steps.registry import all_resources, all_steps, did_you_mean

RECIPES_DIR = Path("recipes")
ITEM_ROOTS = ("item", "env", BATCH)  # besides earlier steps, what a step's references name


@dataclass(frozen=True)
class Recipe:
    """A validated recipe, ready to run."""

    model: RecipeModel
    path: Path
    steps: list[Step]
    reports: list[tuple[ReportSpec, StepType]]
    digest: str
    sections: Sections  # resource sections (`web:` ...), as written: ${env.X} unresolved
    phases: BatchPhases = field(default_factory=BatchPhases.none)  # once per batch

    @property
    def before_items(self) -> list[Step]:
        return self.phases.before

    @property
    def after_items(self) -> list[Step]:
        return self.phases.after

    @property
    def name(self) -> str:
        return self.model.recipe

    @property
    def base_dir(self) -> Path:
        """Where relative paths in the recipe start: the project root for recipes/<name>.yaml."""
        folder = self.path.resolve().parent
        return folder.parent if folder.name == "recipes" else folder


def find_recipe(name_or_path: str) -> Path:
    """The recipe file for a name (`claims-intake`) or a path; a clear error when none."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.is_file():
        if candidate.is_file():
            return candidate
        raise RecipeError([Problem(str(candidate), 0, 0, "no such recipe file")])
    path = RECIPES_DIR / f"{name_or_path}.yaml"
    if path.is_file():
        return path
    names = sorted(p.stem for p in RECIPES_DIR.glob("*.yaml"))
    hint = did_you_mean(name_or_path, names) or f"recipes here: {', '.join(names) or 'none'}"
    raise RecipeError([Problem(str(path), 0, 0, f"no recipe named '{name_or_path}'", hint)])


def load_recipe(name_or_path: str) -> Recipe:
    """Read and validate a recipe; RecipeError lists every problem found."""
    source = read_source(find_recipe(name_or_path))
    own, sections = split_sections(source.data)
    model, problems = check_structure(source, own, all_resources())
    specs = model.steps if model else _valid_steps(source)
    phases, phase_problems = bind_phases(source, model, [spec.id for spec in specs], _typed)
    steps, step_problems = _bind_steps(source, specs, _item_fields(model),
                                       [step.id for step in phases.before],
                                       [step.id for step in phases.after])
    problems += step_problems + phase_problems + (_check_sources(source, model) if model else [])
    problems += check_sections(source, sections)
    problems += check_needs(source, phase_uses(phases) + _uses(steps), sections)
    if model is not None:
        reports, report_problems = _bind_reports(source, model, phases)
        problems += report_problems + check_output_fields(source, model, steps, phases)
    if problems or model is None:
        raise RecipeError(sorted(set(problems), key=lambda p: (p.line, p.col, p.message)))
    digest = hashlib.sha256(source.path.read_bytes()).hexdigest()[:16]
    return Recipe(model, source.path, steps, reports, digest, sections, phases)


def _uses(steps: list[Step]) -> list[Use]:
    """(where, step id, type) of every step type the recipe's steps and checks use, in order."""
    uses: list[Use] = []
    for index, step in enumerate(steps):
        uses.append((("steps", index, "uses"), step.id, step.type))
        if step.check_type is not None:
            uses.append((("steps", index, "check", "uses"), step.id, step.check_type))
    return uses


def _item_fields(model: RecipeModel | None) -> tuple[str, ...]:
    """What `${item.<field>}` may name: the basics, plus columns of sheet sources."""
    extra: list[str] = []
    for spec in model.all_sources if model else []:
        if isinstance(spec, SheetSource) and not spec.provides:
            extra += ["rows"] if spec.sheet.one_item else [*spec.sheet.columns, "lines"]
    return ITEM_FIELDS + tuple(extra)


def _check_sources(source: RecipeSource, model: RecipeModel) -> list[Problem]:
    """A sheet source groups by one of its columns and provides a step that exists."""
    ids = [spec.id for spec in model.steps]
    problems = []
    for index, spec in enumerate(model.sources):
        if not isinstance(spec, SheetSource):
            continue
        loc, group_by = ("sources", index, "sheet"), spec.sheet.group_by
        if group_by is not None and group_by not in spec.sheet.columns:
            problems.append(source.problem((*loc, "group_by"), f"group_by '{group_by}'"
                                           " is not one of the source's columns",
                                           did_you_mean(group_by, spec.sheet.columns)))
        if spec.provides and spec.provides not in ids:
            problems.append(source.problem(("sources", index, "provides"),
                                           f"provides '{spec.provides}', which is no step id",
                                           did_you_mean(spec.provides, ids)))
    return problems


def _valid_steps(source: RecipeSource) -> list[StepSpec]:
    """The steps that are well-formed on their own, when the recipe as a whole is not."""
    raw = source.data.get("steps")
    specs = []
    for node in raw if isinstance(raw, list) else []:
        try:
            specs.append(StepSpec.model_validate(plain(node)))
        except ValidationError:
            continue  # already reported by the whole-recipe check
    return specs


def _bind_steps(source: RecipeSource, specs: list[StepSpec],
                item_fields: tuple[str, ...] = ITEM_FIELDS, before: list[str] | None = None,
                after: list[str] | None = None) -> tuple[list[Step], list[Problem]]:
    """The item steps bound to their types; `before`/`after`: the batch steps' ids."""
    ids = [spec.id for spec in specs]
    steps, problems = [], []
    for index, spec in enumerate(specs):
        loc = ("steps", index)
        if spec.id in ids[:index]:
            problems.append(source.problem((*loc, "id"), f"duplicate step id '{spec.id}'",
                                           "give every step its own id"))
        step_type = _typed(source, spec.uses, spec.with_, (*loc,), problems)
        check_type = None
        if spec.check is not None:
            check_type = _typed(source, spec.check.uses, spec.check.with_, (*loc, "check"),
                                problems)
        refs = check_references(source, step_values(spec), loc, ids[:index], ids[index:],
                                ITEM_ROOTS, item_fields)
        problems += list(refs) + list(check_batch_references(
            source, step_values(spec), loc, before or [], after or []))
        if step_type and spec.check and not step_type.side_effect:
            problems.append(source.problem((*loc, "check"), "'check' is only for steps that "
                                           "change another system", "remove it"))
        if step_type:
            steps.append(Step(spec, step_type, check_type))
    return steps, problems




def _typed(source: RecipeSource, uses: str, values: dict[str, Any], loc: tuple[Any, ...],
           problems: list[Problem]) -> StepType | None:
    """The step type `uses` names, after checking its parameters; None when unknown."""
    unknown = check_uses(source, uses, (*loc, "uses"))
    if unknown:
        problems.append(unknown)
        return None
    step_type = all_steps()[uses]
    problems += check_params(source, step_type.params, values, (*loc, "with"))
    return step_type


def _bind_reports(source: RecipeSource, model: RecipeModel, phases: BatchPhases
                  ) -> tuple[list[tuple[ReportSpec, StepType]], list[Problem]]:
    batch_ids = [step.id for step in [*phases.before, *phases.after]]
    reports: list[tuple[ReportSpec, StepType]] = []
    problems: list[Problem] = []
    for index, spec in enumerate(model.report):
        loc = ("report", index)
        step_type = _typed(source, spec.uses, spec.with_, loc, problems)
        problems += list(check_references(source, {"with": spec.with_}, loc, [], [],
                                          ("env", BATCH)))
        problems += list(check_batch_references(source, {"with": spec.with_}, loc, batch_ids,
                                                []))
        if step_type:
            reports.append((spec, step_type))
    return reports, problems
