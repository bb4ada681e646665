"""Checks that `${<step>.<field>}` names a field that step really gives, with did-you-mean.

Each step type declares its outputs (``bots.kernel.outputs``) as a function of its `with:`;
a reference to a field no declaration gives would make every item an exception at run time
(FIELD_MISSING), so it is refused when the recipe loads. A side-effect step's output may also
be what its `check` found; a step a sheet source provides may carry the sheet's fields. Step
types that declare nothing (a package's own) are open: nothing about them is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bots.kernel.errors import Problem
from bots.kernel.outputs import OPEN, VALUE, Outputs
from bots.kernel.refs import EACH, Reference, references_in
from bots.recipe.model import RecipeModel, SheetSource, StepSpec
from bots.recipe.phases import BatchPhases, Step
from bots.recipe.source import RecipeSource
from bots.recipe.validate import BATCH, leaves
from bots.steps.registry import did_you_mean

Loc = tuple[str | int, ...]
CHECKED = Outputs({"confirmed_by_check": VALUE, "found_in_target": VALUE})
Shapes = Mapping[str, tuple[str, Outputs]]  # step id -> (its step type, its outputs)


def check_output_fields(source: RecipeSource, model: RecipeModel, steps: Sequence[Step],
                        phases: BatchPhases) -> list[Problem]:
    """Every reference to a step's field, in steps, batch steps and reports, checked.

    Item steps read earlier item steps and ``batch.<before_items id>``; a batch step reads
    the earlier steps of its section by id or through batch (after_items: before_items too);
    report steps read every batch step through batch.
    """
    provided = _provided(model)
    before, problems = _walk(source, "before_items", model.before_items, phases.before, {},
                             provided, batch_reads_earlier=True)
    after, after_problems = _walk(source, "after_items", model.after_items, phases.after,
                                  before, provided, batch_reads_earlier=True)
    _, item_problems = _walk(source, "steps", model.steps, steps, before, provided)
    problems += after_problems + item_problems
    every = {**before, **after}
    for index, report in enumerate(model.report):
        problems += _check_values(source, {"with": report.with_}, ("report", index), {}, every)
    return problems


def _walk(source: RecipeSource, section: str, specs: Sequence[StepSpec], bound: Sequence[Step],
          batch: Shapes, provided: Mapping[str, Outputs], *, batch_reads_earlier: bool = False
          ) -> tuple[dict[str, tuple[str, Outputs]], list[Problem]]:
    """One section's steps in order, each one's references checked against what it can
    read; (every step's outputs, the problems)."""
    by_spec = {id(step.spec): step for step in bound}  # a duplicate id is its own step
    earlier: dict[str, tuple[str, Outputs]] = {}
    problems: list[Problem] = []
    for index, spec in enumerate(specs):
        readable = {**batch, **earlier} if batch_reads_earlier else batch
        problems += _check_values(source, step_values(spec), (section, index), earlier, readable)
        step = by_spec.get(id(spec))
        if step is not None:
            earlier[spec.id] = (step.type.name, _outputs(step, provided.get(spec.id)))
    return earlier, problems


def step_values(spec: StepSpec) -> dict[str, Any]:
    """The parts of a step that may hold references: its `with` and its check's `with`."""
    values: dict[str, Any] = {"with": spec.with_}
    if spec.check is not None:
        values["check"] = {"with": spec.check.with_}
    return values


def _outputs(step: Step, provided: Outputs | None) -> Outputs:
    """A step's outputs: its own, or what its check found, or what a sheet source gave."""
    shape = step.type.outputs_for(step.spec.with_)
    if step.check_type is not None and step.spec.check is not None:
        shape = shape.union(step.check_type.outputs_for(step.spec.check.with_)).union(CHECKED)
    return shape if provided is None else shape.union(provided)


def _provided(model: RecipeModel) -> dict[str, Outputs]:
    """Step id -> the fields a sheet source hands over instead of running that step."""
    provided: dict[str, Outputs] = {}
    for spec in model.all_sources:
        if isinstance(spec, SheetSource) and spec.provides:
            shape = Outputs.named(spec.sheet.columns, ["lines", "rows", "_provenance"])
            known = provided.get(spec.provides)
            provided[spec.provides] = shape if known is None else known.union(shape)
    return provided


def _check_values(source: RecipeSource, values: Any, loc: Loc, steps: Shapes,
                  batch: Shapes) -> list[Problem]:
    problems = []
    for path, leaf in leaves(values, loc):
        for ref in references_in(leaf):
            message = _field_problem(ref, steps, batch)
            if message is not None:
                problems.append(source.problem(path, *message))
    return problems


def _field_problem(ref: Reference, steps: Shapes, batch: Shapes) -> tuple[str, str] | None:
    if not ref.is_wellformed or ref.root in (EACH, "item", "env"):
        return None  # checked elsewhere (malformed, item fields) or known only at run time
    if ref.root == BATCH:
        named = batch.get(ref.path[0])
        return None if named is None or len(ref.path) < 2 else _missing(
            ref, (BATCH, ref.path[0]), named, ref.path[1:])
    named = steps.get(ref.root)
    return None if named is None else _missing(ref, (ref.root,), named, ref.path)


def _missing(ref: Reference, base: tuple[str, ...], named: tuple[str, Outputs],
             path: tuple[str, ...]) -> tuple[str, str] | None:
    type_name, outputs = named
    found = (outputs or OPEN).missing(path)
    if found is None:
        return None
    index, shape = found
    name, above = path[index], ".".join((*base, *path[:index]))
    if not shape.fields:
        return (f"'${{{ref.text}}}': {above} is a plain value, with no field '{name}' inside",
                f"write ${{{above}}}")
    whose = f"step '{above}' ({type_name})" if index == 0 else f"'{above}'"
    return f"'${{{ref.text}}}': {whose} gives no field '{name}'", _hint(name, shape)


def _hint(name: str, shape: Outputs) -> str:
    """Did you mean the closest field, or every field (public ones first)."""
    names = sorted(shape.fields, key=lambda field: (field.startswith("_"), field))
    return did_you_mean(name, names) or "its fields: " + ", ".join(names)
