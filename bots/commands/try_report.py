"""What `try` reports: the layout, each field's value, provenance and confidence, every problem.

The step's output (or, when it failed, the values it had read: the error's ``partial``) is
turned into plain data once; the text for people is drawn from that data, so `--json` and the
text never disagree. Shapes other helpers may grow (``_confidence`` as a number or a dict with
its reasons; ``problems`` as dicts or errors) are read leniently.
"""

from __future__ import annotations

import json
from typing import Any

from bots.commands.try_hints import hint_text
from bots.kernel.errors import BotError
from bots.recipe.phases import Step

BOOKKEEPING = ("partial", "problems", "layouts")  # details shown elsewhere in the report
SHOWN = ("_layout", "_provenance", "_confidence", "_checks")  # other `_` keys: as they are


def outcome_data(recipe: str, step: Step, file: str, result: Any,
                 error: BotError | None) -> dict[str, Any]:
    """The step's outcome on one file as plain data (what `--json` prints)."""
    read = result if isinstance(result, dict) else (error.details.get("partial") if error
                                                    else None) or {}
    values = {key: value for key, value in read.items() if not key.startswith("_")}
    return {"recipe": recipe, "step": step.id, "uses": step.type.name, "file": file,
            "ok": error is None, "layout": read.get("_layout"), "values": values,
            "provenance": read.get("_provenance") or {},
            "confidence": read.get("_confidence") or {},
            "checks": read.get("_checks") or {},
            "other": {key: value for key, value in read.items()
                      if key.startswith("_") and key not in SHOWN},
            "problems": problems_of(error) if error else [],
            "layouts": error.details.get("layouts", []) if error else [],
            "fields_read": sum(value is not None for value in values.values())}


def problems_of(error: BotError) -> list[dict[str, Any]]:
    """Every problem the step reported: its `problems` detail, else the error itself."""
    listed = error.details.get("problems")
    if not listed:
        return [problem_data(error)]
    return [problem_data(problem) for problem in listed]


def problem_data(problem: Any) -> dict[str, Any]:
    """One problem as {code, message, ...details} from an error, a dict or a text."""
    if isinstance(problem, BotError):
        details = {k: v for k, v in problem.details.items() if k not in BOOKKEEPING}
        return {"code": problem.code, "message": problem.message, **details}
    if isinstance(problem, dict):
        return {"code": problem.get("code", "?"), "message": problem.get("message", ""),
                **{k: v for k, v in problem.items() if k not in ("code", "message", *BOOKKEEPING)}}
    return {"code": "?", "message": str(problem)}


def as_text(data: dict[str, Any]) -> str:
    """The report for people: one block per field, then the problems, then a verdict."""
    out = [f"recipe {data['recipe']}, step {data['step']} ({data['uses']}), file {data['file']}",
           f"layout: {data['layout'] or '(none chosen)'}"]
    for name, value in data["values"].items():
        out += field_text(name, value, data["provenance"].get(name),
                          data["confidence"].get(name))
    out += checks_text(data["checks"])
    out += [f"  {key}: {plain(value)}" for key, value in data["other"].items()]
    out += [hint_text(hint) for hint in data["layouts"]]  # no layout fitted: what each lacked
    if data["problems"]:
        out.append(f"\n{len(data['problems'])} problem(s):")
        out += [f"  {problem['code']}: {problem['message']}" for problem in data["problems"]]
    total = len(data["values"])
    verdict = "every field read" if data["ok"] else "problems above: fix the rules or the file"
    out.append(f"\n{data['fields_read']} of {total} field(s) read; {verdict}")
    return "\n".join(out)


def field_text(name: str, value: Any, where: Any, confidence: Any) -> list[str]:
    """A field's value, its confidence, and where it came from (one line per table row)."""
    if isinstance(value, list):
        return table_text(name, value, where, confidence)
    return [f"  {name:<20} {value!r}{confidence_text(confidence)}",
            *place_text(where, indent=6)]


def table_text(name: str, rows: list[Any], where: Any, confidence: Any) -> list[str]:
    """A table: its rule once, then each row with its page and top."""
    places = where if isinstance(where, list) else []
    rule = next((place.get("rule") for place in places if isinstance(place, dict)), "?")
    lines = [f"  {name:<20} {len(rows)} row(s){confidence_text(confidence)}",
             f"      by {rule}"]
    for number, row in enumerate(rows, 1):
        place = places[number - 1] if number <= len(places) else None
        at = (f"p{place.get('page')} top {(place.get('box') or [0, '?'])[1]}"
              if isinstance(place, dict) else "")
        lines.append(f"      row {number:<3} {at:<14} {plain(row)}")
    return lines


def checks_text(checks: Any) -> list[str]:
    """The cross-checks of tables and totals: 'ok' or what was expected."""
    lines = []
    for name, listed in (checks or {}).items():
        for check in listed if isinstance(listed, list) else [listed]:
            if not isinstance(check, dict):
                continue
            verdict = "ok" if check.get("ok") else (f"FAILS: expected {check.get('expected')}, "
                                                    f"found {check.get('found')}")
            lines.append(f"  check {name}: {check.get('check', '')}: {verdict}")
    return lines


def place_text(where: Any, *, indent: int) -> list[str]:
    """'page 1 box [..] by label 'Policy No.:' right' and the text line it was read from."""
    if not isinstance(where, dict):
        return []
    pad = " " * indent
    head = (f"{pad}page {where.get('page', '?')} box {where.get('box', '?')} "
            f"by {where.get('rule', '?')}")
    extra = {k: v for k, v in where.items() if k not in ("page", "box", "rule", "text")}
    lines = [head + (f" {plain(extra)}" if extra else "")]
    if where.get("text"):
        lines.append(f"{pad}line: {where['text']!r}")
    return lines


def plain(value: Any) -> str:
    """Data on one line as JSON, its letters as they are ('Schlüssel', not '\\u00fc')."""
    return json.dumps(value, default=str, ensure_ascii=False)


def confidence_text(confidence: Any) -> str:
    """'  confidence 0.93 (exact label; pattern fits)' from a number or a dict."""
    if confidence is None or confidence == {}:
        return ""
    if isinstance(confidence, int | float):
        return f"  confidence {confidence:.2f}"
    if isinstance(confidence, dict):
        score = confidence.get("score", confidence.get("value"))
        why = confidence.get("reasons", confidence.get("why"))
        reasons = "; ".join(map(str, why)) if isinstance(why, list) else (why or "")
        head = f"  confidence {score:.2f}" if isinstance(score, int | float) else "  confidence"
        return head + (f" ({reasons})" if reasons else "")
    return f"  confidence {confidence}"
