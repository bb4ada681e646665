"""References between values: `${item.path}`, `${env.NAME}`, `${<step id>.<field>}`.

Not an expression language: a reference names one value. A string that is exactly one
reference takes that value as it is (a number stays a number); references inside a longer
string are interpolated. `$${` writes a literal `${`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bots.kernel.errors import BusinessError

EACH = "each"  # `${each.field}`: the current element inside a step's `repeat`/`for_each` block
REFERENCE = re.compile(r"(?<!\$)\$\{([^}]*)\}")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


@dataclass(frozen=True)
class Reference:
    """One `${...}` in a value: its root (item, env or a step id) and the path below it."""

    text: str
    root: str
    path: tuple[str, ...]

    @property
    def is_wellformed(self) -> bool:
        return bool(NAME.match(self.text)) and bool(self.path)


def references_in(value: Any) -> Iterator[Reference]:
    """Every reference inside a value, nested lists and maps included."""
    if isinstance(value, str):
        for match in REFERENCE.finditer(value):
            text = match.group(1).strip()
            root, *path = text.split(".")
            yield Reference(text, root, tuple(path))
    elif isinstance(value, Mapping):
        for nested in value.values():
            yield from references_in(nested)
    elif isinstance(value, list | tuple):
        for nested in value:
            yield from references_in(nested)


def contains_reference(value: Any) -> bool:
    """True when the value holds at least one reference."""
    return next(references_in(value), None) is not None


def resolve(value: Any, scope: Mapping[str, Any]) -> Any:
    """The value with every reference replaced from `scope` (item, env, step outputs)."""
    if isinstance(value, str):
        return _resolve_string(value, scope) if "${" in value else value
    if isinstance(value, Mapping):
        return {key: resolve(nested, scope) for key, nested in value.items()}
    if isinstance(value, list | tuple):
        return [resolve(nested, scope) for nested in value]
    return value


def _resolve_string(text: str, scope: Mapping[str, Any]) -> Any:
    whole = REFERENCE.fullmatch(text)
    if whole:
        return _value(whole, scope)
    interpolated = REFERENCE.sub(lambda m: _as_text(_value(m, scope)), text)
    return interpolated.replace("$${", "${")


def _value(match: re.Match[str], scope: Mapping[str, Any]) -> Any:
    text = match.group(1).strip()
    if text.split(".")[0] == EACH and EACH not in scope:
        return match.group(0)  # a per-element value: the step resolves it for each element
    return lookup(text, scope)


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)


def lookup(text: str, scope: Mapping[str, Any]) -> Any:
    """The value a reference names; a missing value is a BusinessError naming it."""
    root, *path = text.split(".")
    value: Any = scope.get(root)
    for part in path:
        if not isinstance(value, Mapping) or part not in value:
            raise BusinessError(f"${{{text}}} has no value for this item",
                                code="FIELD_MISSING", reference=text)
        value = value[part]
    return value
