"""`template:` rules: a field joined from other fields of the same layout.

    claimant: {template: "{first_name} {last_name}"}
    amount: {template: "{dollars}.{cents}", type: amount}

A template names fields by ``{name}`` (not ``${name}``: in a recipe that is a reference to
an earlier step, resolved before the step runs; ``$${name}``, its escaped form, is taken too).
It is computed after the fields it names, so the order of the recipe does not matter. An
unknown name or a circle (a needs b, b needs a) is a recipe error when the recipe loads, never
a surprise on the hundredth document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

NAME = re.compile(r"\$?\{\s*([A-Za-z_][\w.-]*)\s*\}")


def names_in(template: str) -> list[str]:
    """The field names a template refers to, in order."""
    return NAME.findall(template)


def check_templates(templates: Mapping[str, list[str]]) -> None:
    """Raise ValueError for a template naming an unknown field, or for a circle of templates.

    ``templates`` maps every field of a layout to its template(s) (empty for other rules).
    """
    for field, texts in templates.items():
        unknown = sorted({name for text in texts for name in names_in(text)} - set(templates))
        if unknown:
            raise ValueError(f"field {field!r}: template names unknown field(s) "
                             f"{', '.join(unknown)} (fields: {', '.join(templates)})")
    compute_order(templates)


def compute_order(templates: Mapping[str, list[str]]) -> list[str]:
    """The fields in an order where each template comes after the fields it names."""
    needs = {field: {name for text in texts for name in names_in(text)}
             for field, texts in templates.items()}
    order: list[str] = []
    done: set[str] = set()
    for field in templates:
        visit(field, needs, done, order, [])
    return order


def visit(field: str, needs: Mapping[str, set[str]], done: set[str], order: list[str],
          path: list[str]) -> None:
    """Depth-first: put a field's dependencies before it; a field met again on its own path
    is a circle."""
    if field in done:
        return
    if field in path:
        circle = " -> ".join([*path[path.index(field):], field])
        raise ValueError(f"templates refer to each other in a circle: {circle}")
    for name in sorted(needs.get(field, ())):
        visit(name, needs, done, order, [*path, field])
    done.add(field)
    order.append(field)


def render(template: str, values: Mapping[str, object]) -> tuple[str | None, list[str]]:
    """The template with each ``{name}`` replaced by its value, and the names that had none
    (then the text is None: half a name is not a name)."""
    missing = [name for name in names_in(template) if values.get(name) in (None, "")]
    if missing:
        return None, missing
    return NAME.sub(lambda match: str(values[match.group(1)]), template), []


def referenced(templates: Iterable[str]) -> set[str]:
    """Every field name some template refers to."""
    return {name for text in templates for name in names_in(text)}
