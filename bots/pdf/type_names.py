"""Resolve each field rule's ``type`` when the step's parameters validate.

A rule's ``type`` names a built-in type or an identifier the step declares under
``identifiers:`` (``policy_number`` is predefined and may be redefined there). Checking this
when the recipe loads, and binding each rule to its identifier then, means a misspelt type is
a recipe error naming the layout and field, and no context travels at extraction time.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

from pydantic import BaseModel

from bots.pdf.value_types import BUILT_IN, ValueRule
from bots.values.identifiers import PREDEFINED, IdentifierRule


class Layout(Protocol):
    """What resolving needs of a layout (bots/pdf/rules.py's LayoutRules)."""

    @property
    def name(self) -> str: ...

    @property
    def fields(self) -> Mapping[str, Sequence[BaseModel]]: ...


def check_names(identifiers: dict[str, IdentifierRule]) -> dict[str, IdentifierRule]:
    """Identifier names may not hide a built-in type (policy_number excepted)."""
    for name in identifiers:
        if name in BUILT_IN and name not in PREDEFINED:
            raise ValueError(f"identifier {name!r} would hide the built-in type {name}: "
                             f"choose another name, e.g. {name}_id")
    return identifiers


def resolve_types(layouts: Sequence[Layout], identifiers: dict[str, IdentifierRule]) -> None:
    """Bind every rule to its identifier; ValueError naming the layout and field otherwise."""
    known = {**PREDEFINED, **identifiers}
    for layout in layouts:
        for field, rules in layout.fields.items():
            for rule in rules:
                for typed in value_rules(rule):
                    _resolve(typed, known, layout.name, field)


def _resolve(rule: ValueRule, known: dict[str, IdentifierRule], layout: str,
             field: str) -> None:
    if rule.type not in BUILT_IN and rule.type not in known:
        names = [*BUILT_IN, *known]
        near = difflib.get_close_matches(rule.type, names, n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        raise ValueError(
            f"layout {layout!r}, field {field!r}: type {rule.type!r} is neither a built-in "
            f"type ({', '.join(BUILT_IN)}) nor declared under `identifiers`; {hint}declare "
            f"it, e.g. identifiers: {{{rule.type}: {{pattern: '([A-Z]{{2}}\\d{{9}})'}}}}")
    rule.bind(known)


def value_rules(model: object) -> Iterator[ValueRule]:
    """Every ValueRule in a rule, however deeply its keys nest them."""
    if isinstance(model, ValueRule):
        yield model
    if isinstance(model, BaseModel):
        for name in type(model).model_fields:
            yield from value_rules(getattr(model, name))
    elif isinstance(model, list | tuple):
        for item in model:
            yield from value_rules(item)
    elif isinstance(model, dict):
        for item in model.values():
            yield from value_rules(item)
