"""Confidence per field: rule-based, explained, and a threshold below which nothing is keyed.

A value starts at 1.0 and each doubt about it multiplies it by its factor: a fuzzy label
(0.85), a value far from its label (0.9), a wrap joined after a hyphen (0.9), a value that
ends with a hyphen or in the middle of a word (0.6), a line that seems to continue it (0.6),
a doubt from the value's type (0.7), a cross-check that fails (the caller's factor, e.g. table
lines that do not add up to the total). The output keeps ``_confidence: {field: {score,
reasons}}``; below the step's ``min_confidence`` the item goes to review as LOW_CONFIDENCE,
naming the doubtful fields, with every value kept in ``partial``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bots.kernel.errors import BusinessError
from bots.pdf.problems import Problem, combined, problems_in

Doubt = tuple[str, float]  # why a value may be wrong, and the factor on its confidence
TYPE_DOUBT = 0.7  # a doubt the value's type raised (value_types.convert_with_doubts)


def scored(doubts: Iterable[Doubt]) -> dict[str, Any]:
    """A field's confidence: the product of its doubts' factors, and their reasons."""
    listed = list(doubts)
    score = math.prod((factor for _reason, factor in listed), start=1.0)
    return {"score": round(score, 2), "reasons": [reason for reason, _factor in listed]}


def lower(result: dict[str, Any], field: str, factor: float, reason: str) -> None:
    """Lower a field's confidence in an extraction result: the hook for cross-checks, e.g.
    ``lower(result, "total", 0.5, "the lines add up to 120.00, not 125.00")``."""
    confidence = result.setdefault("_confidence", {})
    entry = confidence.setdefault(field, {"score": 1.0, "reasons": []})
    entry["score"] = round(entry["score"] * factor, 2)
    entry["reasons"] = [*entry["reasons"], reason]


def doubtful(result: dict[str, Any], min_confidence: float) -> dict[str, dict[str, Any]]:
    """The fields whose confidence is below the threshold (none when it is 0)."""
    confidence: dict[str, dict[str, Any]] = result.get("_confidence") or {}
    return {field: entry for field, entry in confidence.items()
            if min_confidence > 0 and entry["score"] < min_confidence
            and result.get(field) is not None}


def low_problems(result: dict[str, Any], min_confidence: float) -> list[Problem]:
    """One LOW_CONFIDENCE problem per doubtful field, saying what was read and why it is
    doubted."""
    problems: list[Problem] = []
    for field, entry in doubtful(result, min_confidence).items():
        source = (result.get("_provenance") or {}).get(field) or {}
        why = "; ".join(entry["reasons"]) or "no reason recorded"
        problem: Problem = {
            "field": field, "code": "LOW_CONFIDENCE", "text": str(result[field]),
            "message": f"field {field!r} reads {result[field]!r} with confidence "
                       f"{entry['score']:.2f}, below {min_confidence:.2f} ({why}); check it "
                       f"against the document, or make the layout's rule more precise"}
        if isinstance(source, dict) and source.get("page"):
            problem["page"] = source["page"]
        problems.append(problem)
    return problems


def check_confidence(path: Path, result: dict[str, Any], min_confidence: float
                     ) -> dict[str, Any]:
    """The result, unless a field is below the threshold: then LOW_CONFIDENCE for review."""
    problems = low_problems(result, min_confidence)
    if problems:
        raise combined(path, str(result.get("_layout")), problems, result)
    return result


def with_low_confidence(error: BusinessError, min_confidence: float) -> BusinessError:
    """An extraction error with the doubtful fields of what it did read added to its
    problems (every problem at once); other errors unchanged."""
    partial = error.details.get("partial")
    if not isinstance(partial, dict):
        return error
    extra = low_problems(partial, min_confidence)
    if not extra:
        return error
    path = Path(str(error.details.get("file", "")))
    layout = str(partial.get("_layout"))
    return combined(path, layout, [*problems_in(error), *extra], partial)
