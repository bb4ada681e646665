"""Every problem of a document at once: one BusinessError that lists them all.

Extraction reads every field even when some fail, so that a reviewer sees every problem of a
document together and corrects only what failed. Each problem is plain data,
``{field, code, message, page?, text?}``; the error raised for them carries the first
problem's code (what the exception queue sorts by), a message that lists each one, and in its
details ``problems`` and ``partial`` (every value that was read, with ``_layout``,
``_provenance`` and ``_confidence``). Table problems (bots/pdf/table_fields.py) join the same
list through ``problem_of``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bots.kernel.errors import BusinessError

Problem = dict[str, Any]


def problem_of(error: BusinessError, field: str) -> Problem:
    """One problem as plain data, from the BusinessError a single field (or table) raised."""
    message = error.message
    layout = error.details.get("layout")
    prefix = f"{Path(str(error.details.get('file', ''))).name} (layout {layout}): "
    problem: Problem = {"field": field, "code": error.code,
                        "message": message.removeprefix(prefix)}
    for key in ("page", "text", "row", "column"):
        if error.details.get(key) is not None:
            problem[key] = error.details[key]
    problem["details"] = {key: value for key, value in error.details.items()
                          if key not in ("problems", "partial")}
    return problem


def combined(path: Path, layout: str, problems: list[Problem],
             partial: dict[str, Any]) -> BusinessError:
    """The one error that reports every problem, with what was read for the reviewer."""
    first = problems[0]
    prefix = f"{path.name} (layout {layout}): "
    if len(problems) == 1:
        message = prefix + first["message"]
    else:
        listed = " | ".join(f"({number}) {problem['field']} {problem['code']}: "
                            f"{problem['message']}"
                            for number, problem in enumerate(problems, start=1))
        message = f"{prefix}{len(problems)} problems: {listed}"
    details = {**first.get("details", {}), "file": str(path), "layout": layout}
    plain = [{key: value for key, value in problem.items() if key != "details"}
             for problem in problems]
    return BusinessError(message, code=first["code"], **details, problems=plain, partial=partial)


def problems_in(error: BusinessError) -> list[Problem]:
    """The problems an error already carries (one, for an error raised for a single field)."""
    listed = error.details.get("problems")
    if isinstance(listed, list):
        return [{**problem, "details": {key: value for key, value in error.details.items()
                                        if key not in ("problems", "partial")}}
                if number == 0 else dict(problem) for number, problem in enumerate(listed)]
    return [problem_of(error, str(error.details.get("field", "")))]
