"""Checks a parsed recipe as a whole and reports every problem at once, with file:line:col."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from bots.kernel.errors import Problem
from bots.kernel.refs import EACH, contains_reference, references_in
from bots.recipe.model import RecipeModel
from bots.recipe.source import RecipeSource, plain
from bots.steps.registry import all_steps, did_you_mean

Loc = tuple[str | int, ...]
ITEM_FIELDS = ("key", "name", "path", "arrived_at", "ref", "source")
BATCH = "batch"  # `${batch.<step id>.<field>}`: an output of a before_items/after_items step


def check_structure(source: RecipeSource, own: Mapping[str, Any],
                    sections: Iterable[str]) -> tuple[RecipeModel | None, list[Problem]]:
    """Validate the recipe's own keys; the model, or None when the shape is too broken.

    `sections` are the other top-level keys a recipe may have (resource sections), listed
    only when a key is unknown (listing them loads every step package).
    """
    try:
        return RecipeModel.model_validate(plain(dict(own))), []
    except ValidationError as error:
        return None, list(_problems(source, RecipeModel, (), error, extra_keys=sections))


def check_params(source: RecipeSource, params: type[BaseModel], values: dict[str, Any],
                 loc: Loc) -> list[Problem]:
    """Validate a step's `with:` against its declared parameters; references are checked later."""
    try:
        params.model_validate(values)
    except ValidationError as error:
        return [p for p in _problems(source, params, loc, error, values=values)]
    return []


def check_uses(source: RecipeSource, uses: str, loc: Loc) -> Problem | None:
    """A Problem when `uses` names no known step type."""
    if uses in all_steps():
        return None
    hint = did_you_mean(uses, all_steps()) or "run `python runner.py steps` to list step types"
    return source.problem(loc, f"unknown step type '{uses}'", hint)


def check_references(source: RecipeSource, value: Any, loc: Loc, earlier: list[str],
                     later: list[str], allowed_roots: Sequence[str],
                     item_fields: Sequence[str] = ITEM_FIELDS, *,
                     once_per_batch: str = "") -> Iterator[Problem]:
    """Every reference in `value` must name item, env, each or an earlier step.

    `once_per_batch` names the section (before_items) whose steps have no item to name.
    """
    for path, leaf in leaves(value, loc):
        for ref in references_in(leaf):
            if ref.root == EACH and ref.is_wellformed:
                continue  # an element of a list the step repeats over; known at run time
            if ref.root == "item" and once_per_batch:
                yield source.problem(path, f"'${{{ref.text}}}': {once_per_batch} steps run once "
                                     "per batch, not for an item",
                                     "use ${env.X} or an earlier batch step's output")
                continue
            message = _reference_problem(ref.text, ref.root, ref.path, ref.is_wellformed,
                                         earlier, later, allowed_roots, item_fields)
            if message:
                yield source.problem(path, message[0], message[1])


def check_batch_references(source: RecipeSource, value: Any, loc: Loc, available: list[str],
                           after: list[str]) -> Iterator[Problem]:
    """Every `${batch.<id>...}` must name a batch step that has run by then (`available`)."""
    for path, leaf in leaves(value, loc):
        for ref in references_in(leaf):
            if ref.root != BATCH or not ref.is_wellformed or ref.path[0] in available:
                continue
            name = ref.path[0]
            if name in after:
                yield source.problem(path, f"'${{{ref.text}}}' refers to after_items step "
                                     f"'{name}', which runs after the items",
                                     "only before_items outputs exist while items run")
                continue
            hint = did_you_mean(name, available) or (
                f"batch steps here: {', '.join(available)}" if available
                else "add the step under before_items:")
            yield source.problem(path, f"'${{{ref.text}}}' names no batch step '{name}' that "
                                 "runs before this", hint)


def _reference_problem(text: str, root: str, path: tuple[str, ...], wellformed: bool,
                       earlier: list[str], later: list[str], allowed_roots: Sequence[str],
                       item_fields: Sequence[str]) -> tuple[str, str] | None:
    if not wellformed:
        return (f"malformed reference '${{{text}}}'",
                "write ${item.path}, ${env.NAME} or ${step.field}")
    if root == "item" and path[0] not in item_fields:
        hint = did_you_mean(path[0], item_fields) or "item fields: " + ", ".join(item_fields)
        return f"'${{{text}}}': an item has no field '{path[0]}'", hint
    if root == "env" and len(path) != 1:
        return f"'${{{text}}}': write ${{env.NAME}} with one variable name", ""
    if root in allowed_roots or root in earlier:
        return None
    if root in later:
        return (f"'${{{text}}}' refers to step '{root}', which runs later",
                "a step can only use the outputs of the steps before it")
    known = [*allowed_roots, *earlier]
    hint = did_you_mean(root, known) or f"known names here: {', '.join(known)}"
    return f"'${{{text}}}' refers to '{root}', which is not a step before this one", hint


def leaves(value: Any, loc: Loc) -> Iterator[tuple[Loc, Any]]:
    """(location, scalar) for every scalar inside a value."""
    if isinstance(value, dict):
        for key, nested in value.items():
            yield from leaves(nested, (*loc, key))
    elif isinstance(value, list):
        for index, nested in enumerate(value):
            yield from leaves(nested, (*loc, index))
    else:
        yield loc, value


def _problems(source: RecipeSource, model: type[BaseModel], base: Loc, error: ValidationError,
              *, values: Any = None, extra_keys: Iterable[str] = ()) -> Iterator[Problem]:
    for detail in error.errors():
        loc = tuple(detail["loc"])
        if values is not None and _under_reference(values, loc):
            continue
        yield _problem(source, model, base, loc, detail, extra_keys)


def _problem(source: RecipeSource, model: type[BaseModel], base: Loc, loc: Loc,
             detail: Any, extra_keys: Iterable[str] = ()) -> Problem:
    where = ".".join(str(part) for part in (*base, *loc) if part != "with_")
    full = tuple("with" if part == "with_" else part for part in (*base, *loc))
    if detail["type"] == "extra_forbidden":
        extra = list(extra_keys) if len(loc) == 1 else []
        allowed = sorted([*_allowed_keys(model, loc[:-1]), *extra])
        name = str(loc[-1])
        hint = " ".join(filter(None, [did_you_mean(name, allowed),
                                      "supported keys: " + ", ".join(allowed)]))
        return source.problem(full, f"unknown key '{name}' in {_parent(where)}", hint, at_key=True)
    if detail["type"] == "missing":
        return source.problem(full[:-1], f"missing required key '{loc[-1]}' in {_parent(where)}")
    message = str(detail["msg"]).removeprefix("Value error, ")
    return source.problem(full, f"{where}: {message}")


def _parent(where: str) -> str:
    parent = where.rsplit(".", 1)[0] if "." in where else ""
    return f"'{parent}'" if parent else "the recipe"


def _under_reference(values: Any, loc: Loc) -> bool:
    """True when the value at `loc` (or above it) holds a reference, known only at run time."""
    node = values
    for part in loc:
        if contains_reference(node) and not isinstance(node, dict | list):
            return True
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return contains_reference(node)


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys a mapping at `loc` inside `model` accepts."""
    current: Any = model
    in_mapping = False  # the next name is a key of a dict field (a field's name), not a field
    for part in loc:
        if isinstance(part, int) or in_mapping:
            in_mapping = False
            continue
        field = current.model_fields.get(part) if _is_model(current) else None
        if field is None:
            return []
        in_mapping = typing.get_origin(field.annotation) is dict
        current = _model_in(field.annotation)
    if not _is_model(current):
        return []
    return sorted(field.alias or name for name, field in current.model_fields.items())


def _model_in(annotation: Any) -> Any:
    """The BaseModel class inside an annotation such as `list[X]` or `X | None`, if any."""
    if _is_model(annotation):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)
