"""How one item's run ended: the one typed, frozen record every reader takes it from.

Built in one place (the engine's item boundary); the tally, breaker, progress lines, ledger,
summary, reports and the review page read it by attribute. It crosses process boundaries as
plain data (``as_data`` / ``from_data``): DBOS keeps a workflow's result, and the review page
reads a resubmit's outcome from its JSON line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["done", "exception"]
DONE: Status = "done"
EXCEPTION: Status = "exception"
BUSINESS = "BusinessError"
APPLICATION = "ApplicationError"


@dataclass(frozen=True)
class Outcome:
    """One item's end: done with the target's references, or an exception with its code."""

    status: Status
    code: str | None = None  # a stable exception code (bots.kernel.errors.CODES)
    kind: str | None = None  # BusinessError (the data) or ApplicationError (a system)
    message: str = ""
    step: str | None = None  # the step that stopped the item
    outputs: Mapping[str, Any] = field(default_factory=dict)  # every step's output so far
    evidence: Mapping[str, Any] = field(default_factory=dict)  # screenshots, pages
    references: Mapping[str, str] = field(default_factory=dict)  # step id -> target reference
    attempts: Mapping[str, int] = field(default_factory=dict)  # step id -> attempts made
    details: Mapping[str, Any] = field(default_factory=dict)  # what the error said besides

    @classmethod
    def done(cls, outputs: Mapping[str, Any], references: Mapping[str, str],
             attempts: Mapping[str, int]) -> Outcome:
        return cls(DONE, outputs=dict(outputs), references=dict(references),
                   attempts=dict(attempts))

    @classmethod
    def failed(cls, error: Mapping[str, Any], step: str, outputs: Mapping[str, Any],
               attempts: Mapping[str, int]) -> Outcome:
        """An exception outcome from the error (``ItemError.as_dict()``) that stopped `step`."""
        details = dict(error.get("details") or {})
        evidence = details.pop("evidence", {}) or {}
        partial = details.pop("partial", None)
        if isinstance(partial, dict):  # what the failed step did read, for a person to complete
            outputs = {**outputs, step: partial}
        kind = BUSINESS if error.get("kind") == BUSINESS else APPLICATION
        return cls(EXCEPTION, error.get("code"), kind, str(error.get("message") or ""), step,
                   dict(outputs), evidence, attempts=dict(attempts), details=details)

    @classmethod
    def broken(cls, code: str, message: str, *, kind: str = APPLICATION,
               step: str | None = None) -> Outcome:
        """An exception outcome that no step raised (a source row, a failed workflow)."""
        return cls(EXCEPTION, code, kind, message, step)

    @property
    def is_done(self) -> bool:
        return self.status == DONE

    @property
    def is_system_failure(self) -> bool:
        """An exception for a system reason (not the data): what the breaker and exit 1 count."""
        return self.status == EXCEPTION and self.kind != BUSINESS

    @property
    def reference(self) -> str | None:
        """The target system's reference from the last step that changed it."""
        return list(self.references.values())[-1] if self.references else None

    @property
    def values(self) -> dict[str, Any]:
        """Each step's output without its bookkeeping keys (those starting with `_`)."""
        return values_of(self.outputs)

    @property
    def provenance(self) -> dict[str, Any]:
        """Where each step's values came from (file, page, box, rule), by step id."""
        return provenance_of(self.outputs)

    @property
    def rehearsals(self) -> list[tuple[str, dict[str, Any]]]:
        """In a dry run: (step id, output) of each side effect stopped before it happened."""
        return [(sid, out) for sid, out in self.outputs.items()
                if isinstance(out, dict) and out.get("dry_run")]

    def as_data(self) -> dict[str, Any]:
        """Plain JSON-able data (with `reference` for readers of the JSON line)."""
        return {"status": self.status, "code": self.code, "kind": self.kind,
                "message": self.message, "step": self.step, "reference": self.reference,
                "outputs": dict(self.outputs), "evidence": dict(self.evidence),
                "references": dict(self.references), "attempts": dict(self.attempts),
                "details": dict(self.details)}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Outcome:
        """The outcome back from `as_data()` (or from an older version's result dict)."""
        status: Status = DONE if data.get("status") == DONE else EXCEPTION
        references = data.get("references") or (
            {"_": str(data["reference"])} if data.get("reference") else {})
        details = dict(data.get("details") or {})
        evidence = data.get("evidence") or details.pop("evidence", {}) or {}
        return cls(status, data.get("code"), data.get("kind"), str(data.get("message") or ""),
                   data.get("step"), dict(data.get("outputs") or {}), dict(evidence),
                   dict(references), dict(data.get("attempts") or {}), details)


def values_of(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """Step outputs (dicts, as the step contract says) without their `_` bookkeeping keys."""
    return {sid: {k: v for k, v in out.items() if not k.startswith("_")}
            for sid, out in outputs.items() if isinstance(out, dict)}


def provenance_of(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """Each step output's `_provenance`, by step id."""
    return {sid: out["_provenance"] for sid, out in outputs.items()
            if isinstance(out, dict) and "_provenance" in out}
