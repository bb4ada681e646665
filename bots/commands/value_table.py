"""An item's values as a table for a terminal: name, value, and where each came from.

Values have any shape a step returns: plain values, records (shown as dotted names), lists of
plain values (one line, comma-separated) and lists of records such as order lines (a table of
their own, one line per element, each with its own source). Where a value came from is its
provenance (a document's page and rule, a sheet's cell or row) or, for a step that keeps none,
the step itself: a `web.*` step read it from a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from bots.engine.progress import shorten
from bots.terminal import printable

SHOWN_KEYS = ("file", "sheet", "cell", "row", "page", "rule")  # a provenance's parts, in order
UNSHOWN_KEYS = {"text", "box", "_layout"}  # the text read is the value; a box helps nobody here
NAME_MAX, LAST_MIN, MIDDLE_MIN = 30, 24, 8  # columns, when the terminal's width is known


@dataclass(frozen=True)
class Line:
    """One value: its dotted name, the value as text, where it came from."""

    name: str
    value: str
    source: str


def value_lines(values: dict[str, Any], provenance: dict[str, Any],
                steps: dict[str, str], width: int) -> list[str]:
    """The values of every step as table lines: plain values first, then each list of
    records (order lines) as a table of its own; none when there are no values."""
    plain: list[Line] = []
    tables: list[str] = []
    for step, output in values.items():
        fallback = step_source(step, steps.get(step, ""))
        kept = _mapping(provenance.get(step))
        for name, value in (output.items() if isinstance(output, dict) else [("", output)]):
            full = f"{step}.{name}" if name else step
            where = kept.get(name) if name else None
            if _records(value):
                tables += _record_table(full, value, where, fallback, width)
            else:
                plain += flattened(full, value, where, fallback)
    return _table(plain, width) + tables


def flattened(name: str, value: Any, where: Any, fallback: str) -> list[Line]:
    """A value as lines: a record as one line per field (dotted), anything else one line."""
    if isinstance(value, dict) and value:
        inner = where if isinstance(where, dict) and not _is_source(where) else {}
        return [line for key, item in value.items()
                for line in flattened(f"{name}.{key}", item, inner.get(key), fallback)]
    source = describe_source(where) if _is_source(where) else fallback
    return [Line(name, as_text(value), source)]


def as_text(value: Any) -> str:
    """A value on one line: lists comma-separated, empty ones and None as '-'."""
    if value is None or value == "" or value == [] or value == {}:
        return "-"
    if isinstance(value, list):
        return ", ".join(as_text(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return printable(value)


def describe_source(where: dict[str, Any]) -> str:
    """A provenance in words: 'policies.xlsx, Register!G10' or 'page 1, label 'Total' right'."""
    parts = []
    if where.get("file"):
        parts.append(PurePath(str(where["file"])).name)
    if where.get("sheet"):
        spot = where.get("cell") or (f"row {where['row']}" if where.get("row") else "")
        parts.append(f"{where['sheet']}!{spot}" if where.get("cell") else
                     f"{where['sheet']} {spot}".strip())
    elif where.get("row"):
        parts.append(f"row {where['row']}")
    if where.get("page"):
        parts.append(f"page {where['page']}")
    if where.get("rule"):
        parts.append(str(where["rule"]))
    parts += [f"{key} {value}" for key, value in where.items()
              if key not in (*SHOWN_KEYS, *UNSHOWN_KEYS) and isinstance(value, str | int)]
    return printable(", ".join(parts) or "-")


def step_source(step: str, uses: str) -> str:
    """Where a step's values came from when it keeps no provenance."""
    if uses.startswith("web."):
        return f"screen (step {step}, {uses})"
    return f"step {step} ({uses})" if uses else f"step {step}"


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _is_source(where: Any) -> bool:
    return isinstance(where, dict) and any(key in where for key in (*SHOWN_KEYS, "text"))


def _records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _record_table(name: str, records: list[dict[str, Any]], where: Any, fallback: str,
                  width: int) -> list[str]:
    """A list of records (order lines): a heading, then one line per record."""
    keys = list(dict.fromkeys(key for record in records for key in record))
    sources = where if isinstance(where, list) else []
    rows = [[str(number), *(as_text(record.get(key)) for key in keys),
             describe_source(sources[number - 1]) if number <= len(sources)
             and _is_source(sources[number - 1]) else fallback]
            for number, record in enumerate(records, 1)]
    heading = f"  {name}: {len(records)} {'entry' if len(records) == 1 else 'entries'}"
    return [heading, *_columns(["#", *keys, "from"], rows, width, indent=4)]


def _table(lines: list[Line], width: int) -> list[str]:
    rows = [[line.name, line.value, line.source] for line in lines]
    return _columns(["name", "value", "from"], rows, width, indent=2) if rows else []


def _columns(heads: list[str], rows: list[list[str]], width: int, *, indent: int) -> list[str]:
    """Rows under their heads, each column as wide as its cells; on a known width the first
    column is capped, the middle ones share what the last needs (its first LAST_MIN
    columns), and the last is shortened to what is left."""
    sizes = [max(len(row[i]) for row in [heads, *rows]) for i in range(len(heads))]
    if width:
        sizes[0] = min(sizes[0], NAME_MAX)
        room = width - indent - 2 * (len(sizes) - 1) - sizes[0] - min(sizes[-1], LAST_MIN)
        share = max(MIDDLE_MIN, room // max(len(sizes) - 2, 1))
        sizes[1:-1] = [min(size, share) for size in sizes[1:-1]]
    return [_row(cells, sizes, width, indent) for cells in [heads, *rows]]


def _row(cells: list[str], sizes: list[int], width: int, indent: int) -> str:
    fixed = [_fit(cell, size) if width else cell for cell, size in zip(cells, sizes, strict=True)]
    head = " " * indent + "  ".join(f"{cell:<{size}}" for cell, size in
                                    zip(fixed[:-1], sizes[:-1], strict=True))
    room = width - len(head) - 2
    last = _fit(fixed[-1], room) if width and len(fixed[-1]) > room else fixed[-1]
    return f"{head}  {last}".rstrip()


def _fit(text: str, size: int) -> str:
    """The text within `size` columns: shortened at a word, or cut with an ellipsis where
    words are long (a path, a rule's name) and cutting at a word would leave little."""
    if len(text) <= size:
        return text
    cut = shorten(text, size)
    return cut if 4 * len(cut) >= 3 * size and len(cut) <= size else text[:max(size - 1, 1)] + "…"
