"""Resolve each field rule's ``type`` when the step's parameters validate.

A rule's ``type`` names a built-in type or an identifier the step declares under
``identifiers:`` (``policy_number`` is predefined and may be redefined there). While the
step's parameters validate, ``value_types.declared_identifiers`` lets each rule check its
own ``type`` key, so a misspelt type is a recipe error at its own line; afterwards each rule
is bound to its identifier here, so no context travels at extraction time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

from pydantic import BaseModel

from bots.pdf.value_types import BUILT_IN, ValueRule, undeclared
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
        raise ValueError(f"layout {layout!r}, field {field!r}: {undeclared(rule.type, known)}")
    rule.bind(known)


def identifier_names(data: object) -> list[str] | None:
    """The identifier names in a step's raw parameters (None when they are not a mapping)."""
    if not isinstance(data, dict):
        return None
    declared = data.get("identifiers") or {}
    return [str(name) for name in declared] if isinstance(declared, dict) else []


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
