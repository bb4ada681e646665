"""What a step's output holds, declared by its step type, so a recipe's references are checked.

A step type says which fields its output dict has, usually as a function of its `with:`
values (``read: {status: Status}`` gives a field ``status``). A field is either a value whose
inside is not known (``ANY``), or has a shape of its own (``Outputs``: nested fields). A step
type that declares nothing is open: every field is accepted, so a step from a package that
predates outputs is never a false alarm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ANY = None  # a field whose inside is not known: any path below it is accepted


@dataclass(frozen=True)
class Outputs:
    """The fields of a step's output; `open`: other fields may be there too."""

    fields: Mapping[str, Outputs | None] = field(default_factory=dict)
    open: bool = False

    @classmethod
    def named(cls, *groups: Iterable[str] | Mapping[str, Any],
              inside: Outputs | None = None) -> Outputs:
        """Closed outputs with every name of the groups, each of the shape `inside` (by
        default a value of unknown inside; VALUE: a plain value, a text or a list).

        A group that is not a mapping or list of names (a malformed `with:` value, already
        reported by the parameter check) makes the outputs open rather than wrong.
        """
        names: dict[str, Outputs | None] = {}
        for group in groups:
            if not isinstance(group, Mapping | list | tuple | set | frozenset):
                return OPEN
            names.update(dict.fromkeys((str(name) for name in group), inside))
        return cls(names)

    def union(self, other: Outputs) -> Outputs:
        """What either may produce (a step's own output or what its check found)."""
        if self.open or other.open:
            return OPEN
        merged = dict(self.fields)
        for name, shape in other.fields.items():
            if name not in merged:
                merged[name] = shape
                continue
            mine = merged[name]
            merged[name] = mine.union(shape) if mine and shape else None  # None: unknown inside
        return Outputs(merged)

    def missing(self, path: Iterable[str]) -> tuple[int, Outputs] | None:
        """(index of the first part no field names, the outputs it was looked for in); None
        when the path is known or reaches where nothing is known."""
        shape: Outputs | None = self
        for index, part in enumerate(path):
            if shape is None or shape.open:
                return None
            if part not in shape.fields:
                return index, shape
            shape = shape.fields[part]
        return None


OPEN = Outputs(open=True)
VALUE = Outputs()  # a plain value (a flag, a count, a text, a list): nothing below it
OutputsOf = Callable[[Mapping[str, Any]], Outputs]  # a step's `with:` values -> its outputs


def declared(outputs_of: OutputsOf | None, values: Mapping[str, Any]) -> Outputs:
    """A step's outputs for its `with:` values: open when undeclared or not computable.

    The values are as written (references unresolved) and may be malformed: the parameter
    check reports that; here a declaration that cannot read them gives open outputs.
    """
    if outputs_of is None:
        return OPEN
    try:
        return outputs_of(values)
    except (AttributeError, KeyError, TypeError, ValueError):
        return OPEN


def keys(values: Mapping[str, Any], name: str) -> Any:
    """The keys of the mapping at `values[name]` (none when absent), for ``Outputs.named``."""
    found = values.get(name)
    return {} if found is None else found
