"""Short item IDs people type: the start of an item's key that names it alone.

An item's id in the ledger is `recipe/key`; its key is a content hash (a PDF) or the source's
name and a business key (`workbook-DC-7711`, a sheet row). A hash is shown by its first
MIN_WIDTH characters, longer where another hash starts the same way. A business key is shown
whole: cut, `workbook-DC-771` would tell apart the orders of the ledger but read as another
PO number (and the first ten characters, `workbook-D`, named every order from DC-...). One file
dropped into two recipes' inboxes has the same key in both: it is shown as `recipe/...`.
`matching` accepts every ID `short_ids` gives (an exact key wins over the keys it starts), and
full ids.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from os.path import commonprefix
from typing import Any

MIN_WIDTH = 10  # enough to tell content hashes apart (longer where two start alike)
HASH = re.compile(r"[0-9a-f]{16,}")
Row = dict[str, Any]


def short_ids(rows: Iterable[Row], everyone: list[Row]) -> dict[str, str]:
    """Each row's short ID (by item id), unique among `everyone` (the whole ledger)."""
    keys = sorted({row["item_key"] for row in everyone})
    shared = Counter(row["item_key"] for row in everyone)
    ids = {}
    for row in rows:
        key = row["item_key"]
        if shared[key] > 1:  # the same key in several recipes: say which recipe
            mine = sorted({r["item_key"] for r in everyone if r["recipe"] == row["recipe"]})
            key = f"{row['recipe']}/{_unique_start(key, mine)}"
        else:
            key = _unique_start(key, keys)
        ids[row["item_id"]] = key
    return ids


def short_id(row: Row, everyone: list[Row]) -> str:
    """One row's short ID (see `short_ids`)."""
    return short_ids([row], everyone)[row["item_id"]]


def matching(ident: str, everyone: list[Row]) -> list[Row]:
    """The items an ID names: its full id or key exactly, else every item whose key or
    `recipe/key` starts with it (one row when the ID is one `short_ids` gave)."""
    ident = ident.strip()
    for field in ("item_id", "item_key"):
        exact = [row for row in everyone if row[field] == ident]
        if len(exact) == 1:
            return exact
    return [row for row in everyone
            if row["item_key"].startswith(ident) or row["item_id"].startswith(ident)]


def not_one(ident: str, found: list[Row], everyone: list[Row], *, shown: int = 5) -> str:
    """Why `ident` names no item or several, with the IDs of those it could mean."""
    if not found:
        return (f"no item matches '{ident}'; use an ID from `python runner.py exceptions` "
                "(or `exceptions --json`)")
    ids = short_ids(found[:shown], everyone)
    listed = "; ".join(f"{ids[row['item_id']]} ({row['recipe']}, {row['name']}, "
                       f"{row['status']})" for row in found[:shown])
    more = f" and {len(found) - shown} more" if len(found) > shown else ""
    return f"{len(found)} items match '{ident}': {listed}{more}; use the ID of one of them"


def _unique_start(key: str, keys: list[str]) -> str:
    """A hash's shortest start (at least MIN_WIDTH long) that no other key in the sorted
    `keys` begins with (the whole key when it starts another); any other key whole."""
    if not HASH.fullmatch(key):
        return key
    at = bisect_left(keys, key)
    neighbours = [keys[i] for i in (at - 1, at + 1) if 0 <= i < len(keys)]
    shared = max((len(commonprefix([key, other])) for other in neighbours), default=0)
    return key[:max(MIN_WIDTH, shared + 1)]

