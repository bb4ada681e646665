"""The item page's values table: one row per value, whatever its shape, with where it came from.

A step's output may hold scalars, lists of records (an order's lines), nested records, sheet
cells or screen reads. Each leaf becomes one row named by its path (``lines[2].quantity``),
with the provenance found at the same path, or at the nearest record above it that has one
(a sheet row gives ``Order Lines row 22`` to each of its cells). Every row says what kind of
source its step is (bots.review.value_kinds), which decides whether it can be corrected.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from bots.review.value_kinds import DOCUMENT, StepKinds, input_for

LOCATION_KEYS = ("page", "cell", "row", "url", "screen", "file")
MAX_ROWS_PER_STEP = 400  # a 3,000-line order is shown in part, not as 30,000 table rows


def value_rows(values: Mapping[str, Any], provenance: Mapping[str, Any],
               kinds: StepKinds | None = None) -> list[dict[str, Any]]:
    """One row per value: step, path, value as text, where (and its place: the same without
    the box), text read, rule, kind, input."""
    kinds = kinds or StepKinds()
    rows: list[dict[str, Any]] = []
    for step, fields in (values or {}).items():
        if not isinstance(fields, Mapping):
            rows.append(_row(kinds, step, "", fields, {}))
            continue
        step_rows = list(_step_rows(kinds, step, fields, (provenance or {}).get(step)))
        rows += step_rows[:MAX_ROWS_PER_STEP]
        if len(step_rows) > MAX_ROWS_PER_STEP:
            rows.append({**_row(kinds, step, "…", "", {}), "editable": False,
                         "value": f"{len(step_rows) - MAX_ROWS_PER_STEP} more values not shown"})
    return rows


def _step_rows(kinds: StepKinds, step: str, fields: Mapping[str, Any],
               provenance: Any) -> Iterator[dict[str, Any]]:
    for path, value, where in leaves(fields, provenance):
        yield _row(kinds, step, path, value, where)


def leaves(value: Any, provenance: Any, path: str = "",
           inherited: Mapping[str, Any] | None = None
           ) -> Iterator[tuple[str, Any, Mapping[str, Any]]]:
    """(path, leaf value, its location) for every scalar under `value`; an empty list or
    record is a leaf too, so that it is shown rather than silently dropped."""
    here = provenance if is_location(provenance) else (inherited or {})
    if isinstance(value, Mapping) and value:
        for key, inner in value.items():
            yield from leaves(inner, _child(provenance, key), f"{path}.{key}".lstrip("."), here)
    elif isinstance(value, list) and value:
        for index, inner in enumerate(value):
            yield from leaves(inner, _child(provenance, index), f"{path}[{index + 1}]", here)
    else:
        yield path, value, here


def _child(provenance: Any, key: str | int) -> Any:
    """The provenance at one level down, when it has the same shape as the value."""
    if isinstance(provenance, Mapping) and isinstance(key, str) and not is_location(provenance):
        return provenance.get(key)
    if isinstance(provenance, list) and isinstance(key, int) and key < len(provenance):
        return provenance[key]
    return None


def is_location(provenance: Any) -> bool:
    """Whether this provenance entry says where a value was read (not a record of fields)."""
    return isinstance(provenance, Mapping) and any(key in provenance for key in LOCATION_KEYS)


def _row(kinds: StepKinds, step: str, path: str, value: Any,
         where: Mapping[str, Any]) -> dict[str, Any]:
    kind = kinds.kind(step)
    scalar = not isinstance(value, Mapping | list)
    top_level = "." not in path and "[" not in path and bool(path)
    return {"step": step, "field": path, "name": f"{step}.{path}" if path else step,
            "value": shown(value), "where": where_text(where),
            "place": where_text({key: inner for key, inner in where.items() if key != "box"}),
            "text": str(where.get("text", "")), "rule": str(where.get("rule", "")),
            "box": _box(where), "page": where.get("page") if isinstance(where.get("page"), int)
            else None, "kind": kind,
            "editable": kind == DOCUMENT and scalar and top_level,
            "correctable": scalar and top_level,
            "input": input_for(kinds.field_type(step, path), kinds.choices(step, path),
                               shown(value))}


def shown(value: Any) -> str:
    """A value as the page shows it (JSON for what is left of a record, '' for none)."""
    if isinstance(value, Mapping | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return "" if value is None else str(value)


def where_text(where: Mapping[str, Any]) -> str:
    """A location in words: 'page 1 at [200, 266, 263, 276]', 'Register!G11', 'Sheet row 22'."""
    if not where:
        return ""
    if "page" in where:
        box = _box(where)
        at = ", ".join(f"{number:.0f}" for number in box) if box else ""
        return f"page {where['page']}" + (f" at [{at}]" if at else "")
    if "cell" in where:
        return f"{where.get('sheet', '')}!{where['cell']}".lstrip("!")
    if "row" in where:
        return f"{where.get('sheet', '')} row {where['row']}".strip()
    for key in ("screen", "url", "file"):
        if where.get(key):
            return f"{key} {where[key]}"
    return ""


def _box(where: Mapping[str, Any]) -> list[float] | None:
    box = where.get("box")
    if isinstance(box, list | tuple) and len(box) == 4 and all(
            isinstance(number, int | float) for number in box):
        return [float(number) for number in box]
    return None
