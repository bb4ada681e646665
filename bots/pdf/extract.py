"""Apply a layout's rules to a loaded document: pick the layout, find and normalize each field.

The result is a flat dict of normalized values (dates ISO, amounts "1250.00" plus a currency
field, policy numbers "POL-100234", choices as codes), ``_layout`` and ``_provenance``. A value
that is missing or does not normalize raises the BusinessError its rule names.
"""

from __future__ import annotations

from typing import Any

from bots.kernel.errors import BusinessError
from bots.pdf.document import Document
from bots.pdf.locate import Found, locate
from bots.pdf.rules import FieldRule, LayoutRules
from bots.pdf.value_types import flat


def extract(document: Document, layouts: list[LayoutRules]) -> dict[str, Any]:
    """Every field of the first layout that recognizes the document, with provenance."""
    layout = choose_layout(document, layouts)
    values: dict[str, Any] = {}
    provenance: dict[str, Any] = {}
    problems: list[BusinessError] = []
    for name, rules in layout.fields.items():
        try:
            values |= _field(document, layout, name, rules, provenance)
        except BusinessError as problem:  # read the rest: a person fixes one value, not all
            problems.append(problem)
            values[name] = None
    result = {**values, "_layout": layout.name, "_provenance": provenance}
    if problems:
        problems[0].details["partial"] = result
        raise problems[0]
    return result


def _field(document: Document, layout: LayoutRules, name: str, rules: list[FieldRule],
           provenance: dict[str, Any]) -> dict[str, Any]:
    """One field's normalized output value(s), recording where each was found."""
    found, rule = first_found(document, rules)
    if found is None:
        check_optional(document, layout, name, rules)
        return {name: None}
    converted = convert(document, layout, name, rule, found)
    for output in converted:
        provenance[output] = found.provenance()
    return dict(converted)


def choose_layout(document: Document, layouts: list[LayoutRules]) -> LayoutRules:
    """The first layout whose `when` texts all appear in the document."""
    text = flat(document.text)
    for layout in layouts:
        if all(flat(marker) in text for marker in layout.when):
            return layout
    known = "; ".join(f"{layout.name} needs {', '.join(map(repr, layout.when))}"
                      for layout in layouts)
    first_line = document.text.split("\n", 1)[0][:80]
    raise BusinessError(
        f"{document.path.name}: no layout recognizes this document (it begins {first_line!r}); "
        f"known layouts: {known}. Add a layout for this insurer to the recipe or key it by hand",
        code="UNKNOWN_LAYOUT", file=str(document.path), begins=first_line)


def first_found(document: Document, rules: list[FieldRule]) -> tuple[Found | None, FieldRule]:
    """The value found by the first alternative rule that finds one."""
    for rule in rules:
        found = locate(document, rule)
        if found is not None:
            return found, rule
    return None, rules[0]


def check_optional(document: Document, layout: LayoutRules, name: str,
                   rules: list[FieldRule]) -> None:
    """Raise the rule's missing code when a field that was not found is required."""
    if not rules[0].required:
        return
    tried = "; ".join(rule.describe() for rule in rules)
    raise BusinessError(
        f"{document.path.name} (layout {layout.name}): field {name!r} not found ({tried}); "
        f"check the document and key the value by hand, or fix the layout's rule",
        code=rules[0].missing_code, file=str(document.path), field=name, layout=layout.name)


def convert(document: Document, layout: LayoutRules, name: str, rule: FieldRule,
            found: Found) -> dict[str, str]:
    """The normalized output value(s) of one field; FIELD_INVALID when it will not normalize."""
    try:
        return rule.convert(name, found.text)
    except ValueError as error:
        raise BusinessError(
            f"{document.path.name} (layout {layout.name}): field {name!r} on page {found.page} "
            f"reads {found.text!r}, which is not a valid {rule.type}: {error}. Correct the value "
            f"by hand, or fix the layout's rule", code="FIELD_INVALID", file=str(document.path),
            field=name, layout=layout.name, text=found.text, page=found.page) from None
