"""The queue's search, sort and reason text: pure functions over the rows of the ledger.

Search is one case-insensitive substring over what an analyst knows an item by: the file name,
its key and IDs, the reference keyed, and every value the bot extracted (with the text lines
those values were read from). Sorting puts rows that lack the sorted value last, either way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

Row = dict[str, Any]
REASON_WORDS = 60  # characters of the message shown in the reason column
SORTS = ("age", "due", "code", "recipe", "assignee")
DEFAULT_SORT = ("age", "desc")  # the oldest first: it has waited longest


def shortened(text: str, limit: int = REASON_WORDS) -> str:
    """The first words of a text, cut at a word boundary with an ellipsis when too long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else text[:limit]
    return cut.rstrip(" ,;:.-") + "…"


def leaves(data: Any) -> Iterator[str]:
    """Every scalar in nested dicts and lists, as text (an extracted value of any shape)."""
    if isinstance(data, Mapping):
        for value in data.values():
            yield from leaves(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from leaves(value)
    elif data is not None:
        yield str(data)


def source_lines(provenance: Any) -> Iterator[str]:
    """The text each value was read from (a provenance's ``text``), at any depth."""
    if isinstance(provenance, Mapping):
        for key, value in provenance.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from source_lines(value)
    elif isinstance(provenance, list | tuple):
        for value in provenance:
            yield from source_lines(value)


def haystack(row: Row) -> str:
    """What a search looks in for one row, lower-cased once."""
    known = [row.get(key) or "" for key in ("name", "path", "item_id", "item_key",
                                            "short_id", "reference")]
    found = [*leaves(data(row, "values")), *source_lines(data(row, "provenance"))]
    return "\n".join(str(part) for part in [*known, *found]).lower()


def data(row: Row, name: str) -> Any:
    """A row's decoded ``values`` or ``provenance``, or its JSON text (``values_json``) decoded
    now: the queue decodes only the rows a search looks into."""
    if name in row:
        return row[name] or {}
    try:
        return json.loads(row.get(f"{name}_json") or "{}")
    except ValueError:  # a damaged record is searched by its other fields
        return {}


def searched(rows: list[Row], query: str) -> list[Row]:
    """The rows whose file, key, reference or any extracted value holds ``query``."""
    needle = query.strip().lower()
    if not needle:
        return rows
    return [row for row in rows if needle in haystack(row)]


def sort_choice(sort: str, direction: str) -> tuple[str, str]:
    """The sort asked for, or the default when the query names none we know."""
    if sort not in SORTS:
        return DEFAULT_SORT
    return sort, "asc" if direction == "asc" else "desc" if direction == "desc" else "asc"


def sorted_rows(rows: list[Row], sort: str, direction: str) -> list[Row]:
    """Rows by ``age`` (seconds waited), ``due`` (deadline), code, recipe or assignee;
    rows without the value go last whichever the direction."""
    key = _SORT_KEYS[sort]
    having = [row for row in rows if key(row) is not None]
    lacking = [row for row in rows if key(row) is None]
    having.sort(key=lambda row: (key(row), row["item_id"]), reverse=direction == "desc")
    return having + lacking


def _text(name: str) -> Any:
    return lambda row: (str(row.get(name) or "").lower() or None)


_SORT_KEYS = {"age": lambda row: row.get("age_s"), "due": lambda row: row.get("due_at") or None,
              "code": _text("code"), "recipe": _text("recipe"), "assignee": _text("assignee")}
