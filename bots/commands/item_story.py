"""What happened to an item, for `exceptions show`: its evidence, its history (the steps each
run took, its automatic retries, people's actions) and the layout its documents were read with.
"""

from __future__ import annotations

import json
from typing import Any

from bots.engine.progress import fitted
from bots.terminal import printable

Row = dict[str, Any]
EVIDENCE_FIRST = ("screenshot", "html", "url")  # what a person opens first
HISTORY_SHOWN = 15  # the latest entries; --json has them all
AUTO = "auto-retry"  # who, in the audit trail, when a run retried the item by itself


def evidence_lines(evidence: dict[str, Any]) -> list[str]:
    """One line per piece of evidence: what it is and where (screenshot and page first)."""
    order = [*[key for key in EVIDENCE_FIRST if key in evidence],
             *[key for key in evidence if key not in EVIDENCE_FIRST]]
    size = max((len(key) for key in order), default=0)
    return [f"  {key:<{size}}  {_text(evidence[key])}" for key in order if evidence[key]]


def history_lines(row: Row, width: int = 0) -> list[str]:
    """The item's history, oldest first: the latest HISTORY_SHOWN entries, and how often a
    run retried it by itself."""
    entries = sorted([(row["created_at"], "first seen"),
                      *((event["at"], _event(event)) for event in row.get("events") or []),
                      *((entry["at"], _audit(entry)) for entry in row.get("audit") or [])],
                     key=lambda entry: entry[0])
    lines = [fitted(f"  {_when(at)}", text, width) for at, text in entries]
    if len(lines) > HISTORY_SHOWN:
        earlier = len(lines) - HISTORY_SHOWN
        lines = [f"  ({earlier} earlier entries: exceptions show ID --json)",
                 *lines[-HISTORY_SHOWN:]]
    retried = auto_retries(row.get("audit") or [])
    if retried:
        lines.append(f"  auto-retried {retried[0]} of {retried[1]} time(s) by later runs")
    return lines


def auto_retries(audit: list[Row]) -> tuple[int, int] | None:
    """(how many times runs retried the item by themselves, how many the policy allows)."""
    done = [entry for entry in audit if entry["who"] == AUTO and entry["action"] == "retry"]
    if not done:
        return None
    after = _decoded(done[-1].get("after_json"))
    return len(done), int(after.get("of") or len(done))


def read_with(outputs: dict[str, Any]) -> list[str]:
    """Which layout each document step chose, and the fields it doubted (score < 1)."""
    lines = []
    for step, output in outputs.items():
        if not isinstance(output, dict) or not output.get("_layout"):
            continue
        doubted = doubted_fields(output)
        doubts = f"  doubted: {', '.join(doubted)}" if doubted else ""
        lines.append(f"  Layout    {step}: {printable(output['_layout'])}{printable(doubts)}")
    return lines


def doubted_fields(output: dict[str, Any]) -> list[str]:
    """The fields a document step read with a confidence under 1, by name."""
    return sorted(name for name, judged in (output.get("_confidence") or {}).items()
                  if isinstance(judged, dict) and judged.get("score", 1) < 1)


def _event(event: Row) -> str:
    data = event.get("data") or {}
    name = event["event"]
    if name == "step.finished":
        tries = data.get("attempts", 1)
        said = f"step {data.get('step_id', '?')}: {data.get('outcome', '?')}"
        said += f" {data['code']}" if data.get("code") else ""
        return said + f" ({tries} attempt{'s' if tries != 1 else ''}, " \
                      f"{data.get('duration_s', '?')} s)"
    if name == "item.ended":
        return f"ended: {data.get('status')}" + (f" {data['code']}" if data.get("code") else "")
    if name == "item.recipe_changed":
        return "resumed with a recipe changed since the item started"
    if name == "sla.alert":
        return f"service goal: {data.get('state')} (due {_when(str(data.get('due_at')))})"
    return f"{name} {_text(data)}"


def _audit(entry: Row) -> str:
    if entry["who"] == AUTO and entry["action"] == "retry":
        after = _decoded(entry.get("after_json"))
        return f"retried by run {after.get('run_id', '?')} (auto-retry {after.get('attempt')} " \
               f"of {after.get('of')})"
    said = [printable(entry["note"])] if entry.get("note") else []
    return f"{printable(entry['who'])} {entry['action']}" + \
        "".join(f": {part}" for part in ["; ".join([*_changes(entry), *said])] if part)


def _changes(entry: Row) -> list[str]:
    """What an action changed, in words: corrected values, the reference, the assignee."""
    before, after = _decoded(entry.get("before_json")), _decoded(entry.get("after_json"))
    if entry["action"] == "retry":
        return [f"{name} {_text(before.get(name))} → {_text(value)}"
                for name, value in after.items()]
    if entry["action"] == "resolve" and after.get("reference"):
        return [f"reference {_text(after['reference'])}"]
    if entry["action"] == "assign":
        return [f"to {_text(after.get('assignee'))}"]
    return []


def _when(at: str) -> str:
    """An ISO time as 'YYYY-MM-DD HH:MM:SS' (the ledger's times are UTC)."""
    return at[:19].replace("T", " ")


def _decoded(text: Any) -> dict[str, Any]:
    """A JSON column as data (already data when `exceptions show` decoded it)."""
    try:
        data = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _text(value: Any) -> str:
    if isinstance(value, dict | list):
        return printable(json.dumps(value, default=str, ensure_ascii=False))
    return printable(value)
