"""A recipe's once-per-batch steps: ``before_items:`` and ``after_items:``, bound and checked.

They have the shape of item steps (id, uses, with, timeout_s, retry) and run through the same
step machinery, but once per batch in a process, outside any item: no item to name, no side
effect to guard (they run again on the next run), and ids distinct from every other step's.
Items read the outputs of before_items as ``${batch.<id>.<field>}``; after_items and report
steps may read both; a batch step reads an earlier one of its section by id or through batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bots.kernel import StepType
from bots.kernel.errors import Problem
from bots.recipe.model import RecipeModel, StepSpec
from bots.recipe.sections import Use
from bots.recipe.source import RecipeSource
from bots.recipe.validate import BATCH, check_batch_references, check_references

PHASES = ("before_items", "after_items")
Typed = Callable[[RecipeSource, str, dict[str, Any], tuple[Any, ...], list[Problem]],
                 StepType | None]


@dataclass(frozen=True)
class Step:
    """A recipe step bound to its step type (and the type of its check, if any)."""

    spec: StepSpec
    type: StepType
    check_type: StepType | None = None

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True)
class BatchPhases:
    """The bound before_items and after_items steps, in order."""

    before: list[Step]
    after: list[Step]

    @classmethod
    def none(cls) -> BatchPhases:
        return cls([], [])


def bind_phases(source: RecipeSource, model: RecipeModel | None, item_ids: list[str],
                typed: Typed) -> tuple[BatchPhases, list[Problem]]:
    """The batch steps bound to their types, and every problem with them."""
    if model is None:
        return BatchPhases.none(), []
    before_ids = [spec.id for spec in model.before_items]
    after_ids = [spec.id for spec in model.after_items]
    problems: list[Problem] = []
    taken = list(item_ids)
    bound = []
    for phase, specs in zip(PHASES, (model.before_items, model.after_items), strict=True):
        reads = [] if phase == "before_items" else before_ids
        later = after_ids if phase == "before_items" else []
        bound.append(_bind(source, phase, specs, taken, (reads, later), typed, problems))
    for index, spec in enumerate(model.steps):
        if spec.id == BATCH:
            problems.append(source.problem(("steps", index, "id"), "the step id 'batch' is "
                                           "reserved for ${batch.<id>.<field>}", "rename it"))
    return BatchPhases(*bound), problems


def _bind(source: RecipeSource, phase: str, specs: list[StepSpec], taken: list[str],
          batch: tuple[list[str], list[str]], typed: Typed,
          problems: list[Problem]) -> list[Step]:
    ids = [spec.id for spec in specs]
    steps = []
    for index, spec in enumerate(specs):
        loc = (phase, index)
        problems += _id_problems(source, spec.id, loc, taken)
        taken.append(spec.id)
        step_type = typed(source, spec.uses, spec.with_, loc, problems)
        problems += _refs(source, spec, loc, phase, ids[:index], ids[index:], batch)
        problems += _shape_problems(source, spec, step_type, loc, phase)
        if step_type is not None:
            steps.append(Step(spec, step_type))
    return steps


def _id_problems(source: RecipeSource, step_id: str, loc: tuple[Any, ...],
                 taken: list[str]) -> list[Problem]:
    if step_id == BATCH:
        return [source.problem((*loc, "id"), "the step id 'batch' is reserved", "rename it")]
    if step_id in taken:
        return [source.problem((*loc, "id"), f"duplicate step id '{step_id}'", "give every "
                               "step of steps, before_items and after_items its own id")]
    return []


def _refs(source: RecipeSource, spec: StepSpec, loc: tuple[Any, ...], phase: str,
          earlier: list[str], later: list[str],
          batch: tuple[list[str], list[str]]) -> list[Problem]:
    values = {"with": spec.with_}
    reads, after = batch
    problems = list(check_references(source, values, loc, earlier, later, ("env", BATCH),
                                     once_per_batch=phase))
    return problems + list(check_batch_references(source, values, loc, reads + earlier,
                                                  after + later))


def _shape_problems(source: RecipeSource, spec: StepSpec, step_type: StepType | None,
                    loc: tuple[Any, ...], phase: str) -> list[Problem]:
    if spec.check is not None:
        return [source.problem((*loc, "check"), f"'check' is for item steps that change "
                               f"another system, not for {phase}", "remove it")]
    if step_type is not None and step_type.side_effect:
        return [source.problem((*loc, "uses"), f"{step_type.name} changes another system: "
                               f"{phase} steps run again on every run, unguarded", "move it "
                               "under steps:, where it is done once per item")]
    return []


def phase_uses(phases: BatchPhases) -> list[Use]:
    """(where, step id, type) of every batch step, for the resource checks."""
    return [((phase, index, "uses"), step.id, step.type)
            for phase, steps in zip(PHASES, (phases.before, phases.after), strict=True)
            for index, step in enumerate(steps)]
