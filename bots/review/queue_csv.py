"""The queue as a CSV file: the rows of the current view, safe to open in a spreadsheet.

A spreadsheet runs a cell that begins with = + - @ (or a tab or carriage return) as a formula;
such a cell is written with a leading apostrophe, so a file name or message an outsider chose
stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (("ID", "short_id"), ("item", "name"), ("recipe", "recipe"), ("status", "view"),
           ("code", "code"), ("reason", "message"), ("step", "step"), ("age", "age"),
           ("due", "due"), ("SLA", "sla"), ("assignee", "assignee"),
           ("reference", "reference"), ("closed by", "closed_by"), ("closed at", "closed_at"))


def cell(value: Any) -> str:
    """One cell's text, defused when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def queue_csv(rows: Iterable[dict[str, Any]]) -> str:
    """The CSV text of queue rows: a header line, then one line per row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([title for title, _ in COLUMNS])
    for row in rows:
        writer.writerow([cell(row.get(key)) for _, key in COLUMNS])
    return out.getvalue()


def file_name(view: str, stamp: str) -> str:
    """The download's name: ``queue-open-20260720-0800.csv``."""
    return f"queue-{view}-{stamp}.csv"
