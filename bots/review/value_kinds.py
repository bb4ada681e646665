"""What kind of source each step's values come from, and how a person may type one.

Values extracted from the item's own document (a PDF step, or a source that provides the
item's record) are the analyst's to correct. Values read from reference data (a register
lookup, a legacy screen) are shown read-only: when they are wrong, the source is wrong, which
is a separate, audited correction. Values a step derived (a rule check) are not corrected at
all. The recipe says which step is which, by the step type it uses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

DOCUMENT, REFERENCE, DERIVED = "document", "reference", "derived"
REFERENCE_PREFIXES = ("sheet.lookup", "web.", "db.", "http.")
DOCUMENT_PREFIXES = ("pdf.", "email.", "sheet.read")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DECIMAL = re.compile(r"^[+-]?\d+(\.\d+)?$")
REFERENCE_TO = re.compile(r"^\$\{([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)\}$")


def kind_of(uses: str) -> str:
    """The source kind of a step type's values, by its name."""
    if uses.startswith(REFERENCE_PREFIXES):
        return REFERENCE
    if uses.startswith(DOCUMENT_PREFIXES):
        return DOCUMENT
    return DERIVED


@dataclass
class StepKinds:
    """Each recipe step's source kind and the typed inputs its rules imply.

    Without a recipe (it moved, or fails to load) every step counts as a document, so an
    item can still be corrected as before."""

    uses: dict[str, str] = field(default_factory=dict)  # step id -> step type name
    types: dict[tuple[str, str], str] = field(default_factory=dict)  # (step, field) -> type
    coded: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # -> one_of choices

    def kind(self, step: str) -> str:
        if step not in self.uses:
            return DOCUMENT  # a source's record (`provides`), or no recipe to ask
        return kind_of(self.uses[step])

    def field_type(self, step: str, path: str) -> str:
        return self.types.get((step, path), "")

    def choices(self, step: str, path: str) -> list[str]:
        return self.coded.get((step, path), [])


def step_kinds(steps: list[tuple[str, str, Mapping[str, Any]]]) -> StepKinds:
    """StepKinds from (step id, type name, `with:` values) of a recipe's steps."""
    kinds = StepKinds(uses={step_id: uses for step_id, uses, _ in steps})
    for step_id, uses, values in steps:
        if uses == "data.check_rules":
            _rule_inputs(kinds, values.get("rules") or [])
        if uses.startswith("pdf."):
            _declared_types(kinds, step_id, values)
    return kinds


def _rule_inputs(kinds: StepKinds, rules: list[Any]) -> None:
    """Coded values (`one_of` of literals) and typed bounds from the rules on a value."""
    for rule in rules:
        target = REFERENCE_TO.match(str(rule.get("value", ""))) if isinstance(rule, dict) else None
        if not target or not isinstance(rule, dict):
            continue
        key = (target.group(1), target.group(2))
        choices = rule.get("one_of")
        if isinstance(choices, list) and all(not _is_reference(choice) for choice in choices):
            kinds.coded[key] = [str(choice) for choice in choices]


def _declared_types(kinds: StepKinds, step_id: str, values: Mapping[str, Any]) -> None:
    """`type: date|amount|int` of the fields a PDF step declares (in its layouts too)."""
    field_sets = [values.get("fields")] + [layout.get("fields") for layout in
                                           values.get("layouts") or [] if isinstance(layout, dict)]
    for fields in field_sets:
        for name, spec in (fields or {}).items() if isinstance(fields, dict) else ():
            if isinstance(spec, dict) and spec.get("type"):
                kinds.types.setdefault((step_id, name), str(spec["type"]))


def _is_reference(value: Any) -> bool:
    return isinstance(value, str) and "${" in value


def input_for(declared: str, choices: list[str], value: str = "") -> dict[str, Any]:
    """How the form asks for a value: a select of coded values, a date, a decimal, or text."""
    if choices:
        return {"type": "select", "choices": choices}
    if declared == "date" or (not declared and ISO_DATE.match(value)):
        return {"type": "date"}
    if declared in ("amount", "decimal", "number", "int") or (
            not declared and DECIMAL.match(value)):
        return {"type": "decimal", "step": "1" if declared == "int" else "any"}
    return {"type": "text"}


def check_typed(name: str, text: str, form_input: Mapping[str, Any]) -> str:
    """Why a typed value cannot be accepted ('' when it can): the server's own check of what
    the browser's input already checks."""
    text = text.strip()
    if not text:
        return ""
    kind = form_input.get("type")
    if kind == "select" and text not in form_input.get("choices", []):
        return f"{name} must be one of {', '.join(form_input['choices'])}, not '{text}'"
    if kind == "date" and not _is_date(text):
        return f"{name} must be a date as YYYY-MM-DD, not '{text}'"
    if kind == "decimal" and not DECIMAL.match(text):
        return f"{name} must be a number such as 1250.00 (a point for decimals), not '{text}'"
    return ""


def _is_date(text: str) -> bool:
    if not ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
