"""Everything the item page shows about one item, gathered from the ledger into plain data.

A long document is shown one screen of PAGES_PER_SCREEN page images at a time (``pager``
says which pages, and the screens before and after): an item page of a 3,000-page document
embeds ten images, not 3,000.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bots.kernel.errors import CODES
from bots.ledger import Ledger, approvals, resubmits
from bots.ledger.actions import OPEN, find_item
from bots.ledger.item_ids import short_id
from bots.review import background
from bots.review.decisions import failure_kind, kinds_for, recipe_for, stopping_rules
from bots.review.evidence import relative_link
from bots.review.page_spots import page_figures
from bots.review.queue import Goals, sla_state
from bots.review.render import page_count
from bots.review.value_rows import value_rows

PAGES_PER_SCREEN = 10


def source_path(recorded: str, project_root: Path) -> str:
    """The item's recorded source file (a relative path starts at the project root)."""
    if not recorded:
        return ""
    path = Path(recorded)
    return str(path if path.is_absolute() else project_root / path)


def item_view(ledger: Ledger, ident: str, evidence_dir: Path, project_root: Path,
              goals: Goals, screen: int = 1) -> dict[str, Any]:
    """The item with one screen of its pages, values and provenance, evidence, events, audit."""
    item = find_item(ledger, ident)
    item["sla"] = sla_state(item, goals.get(item["recipe"]), datetime.now(UTC))
    path = source_path(item["path"], project_root)
    pager = page_screen(page_count(path) if path.lower().endswith(".pdf") else 0, screen)
    recipe = recipe_for(item, project_root)
    pages = list(range(pager["first"], pager["last"] + 1)) if pager["total"] else []
    figures, rows = page_figures(path, pages, value_rows(
        item.get("values") or {}, item.get("provenance") or {}, kinds_for(recipe)))
    return {**item, **decision_view(ledger, item, recipe),
            "short_id": short_id(item, ledger.find_items()),
            "meaning": CODES.get(item["code"] or "", ""),
            "is_open": item["status"] == "exception" and item["review_state"] == OPEN,
            "pages": pages, "figures": figures, "pager": pager,
            "status_text": status_text(item),
            "rows": rows,
            "editable": [row for row in rows if row["editable"]],
            "sources": [row for row in rows if row["correctable"] and row["kind"] != "document"],
            "links": evidence_links(item.get("evidence") or {}, evidence_dir),
            "events": [event_row(event) for event in ledger.events(item["item_id"])],
            "audit": [audit_row(entry) for entry in ledger.audit_trail(item["item_id"])]}


def page_screen(total: int, screen: int) -> dict[str, Any]:
    """Which pages one screen shows: its number (clamped), first and last page, the number
    of screens, and the previous and next screen (None at either end)."""
    screens = max(1, math.ceil(total / PAGES_PER_SCREEN))
    screen = min(max(1, screen), screens)
    first = (screen - 1) * PAGES_PER_SCREEN + 1
    return {"screen": screen, "screens": screens, "total": total, "first": first,
            "last": min(total, first + PAGES_PER_SCREEN - 1),
            "prev": screen - 1 if screen > 1 else None,
            "next": screen + 1 if screen < screens else None}


def status_text(item: dict[str, Any]) -> str:
    """The item's state in words: 'done', 'exception, open', 'exception, resolved by hand'."""
    if item["status"] != "exception":
        return str(item["status"])
    state = {"resolved": "resolved by hand"}.get(item["review_state"], item["review_state"])
    return f"exception, {state}"


def decision_view(ledger: Ledger, item: dict[str, Any], recipe: Any) -> dict[str, Any]:
    """What the item asks of a person, its approvals, and its background resubmit."""
    running = resubmits.current(ledger, item["item_id"])
    busy = bool(running and running["state"] == resubmits.RUNNING)
    last = None if busy or not running or not running.get("result") else running
    return {"failure": failure_kind(item, recipe) if item["status"] == "exception" else "",
            "stopping_rules": stopping_rules(item, recipe),
            "approvals": approvals.item_approvals(ledger, item["item_id"]),
            "pending_approval": approvals.pending(ledger, item["item_id"]),
            "resubmitting": {"since": background.clock(running["started_at"]),
                             "who": running["who"], "action": running["action"]}
            if busy and running else None,
            "last_resubmit": {"at": background.clock(last.get("finished_at")),
                              "who": last["who"],
                              "said": background.describe(last["result"])} if last else None}


def evidence_links(evidence: dict[str, Any], evidence_dir: Path) -> dict[str, Any]:
    """Links under /evidence/ for the screenshot and HTML, and the page's URL."""
    return {"screenshot": relative_link(evidence_dir, evidence.get("screenshot")),
            "html": relative_link(evidence_dir, evidence.get("html")),
            "url": evidence.get("url") or "", "error": evidence.get("error") or "",
            "recorded": bool(evidence.get("screenshot") or evidence.get("html"))}


def event_row(event: dict[str, Any]) -> dict[str, Any]:
    """A kept event as a table row (step, outcome, code, attempts, duration)."""
    data = event.get("data") or {}
    duration = data.get("duration_s")
    return {"at": event["at"], "event": event["event"], "step": data.get("step_id", ""),
            "outcome": data.get("outcome", ""), "code": data.get("code", ""),
            "error": data.get("error", ""), "attempts": data.get("attempts", ""),
            "duration": f"{duration:.2f} s" if isinstance(duration, int | float) else ""}


def audit_row(entry: dict[str, Any]) -> dict[str, Any]:
    """An audit entry with its before/after state as short text."""
    return {"at": entry["at"], "who": entry["who"], "action": entry["action"],
            "before": _compact(entry.get("before_json")),
            "after": _compact(entry.get("after_json")), "note": entry.get("note") or ""}


def _compact(raw: str | None) -> str:
    try:
        data = json.loads(raw or "null")
    except ValueError:
        return raw or ""
    if not data:
        return ""
    if isinstance(data, dict):
        return ", ".join(f"{key}: {value}" for key, value in data.items())
    return str(data)
