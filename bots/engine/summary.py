"""A run's summary and the exit code a scheduler sees."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bots.kernel import Outcome
from bots.ledger.actions import REJECTED, RESOLVED

EXIT_OK = 0  # every item done or a business exception (a person's work, not a failure)
EXIT_APPLICATION = 1  # at least one item failed for a system reason (ApplicationError)
EXIT_RECIPE = 2  # the recipe or the configuration is wrong: nothing ran
EXIT_CRASH = 3  # the runner itself failed unexpectedly; a new run resumes the batch
EXIT_LOCKED = 4  # another run of the same recipe is in progress
EXIT_TEMPFAIL = 75  # the target system is down: retry later (EX_TEMPFAIL)
EXIT_CREDENTIALS = 77  # the target refused the sign-on: fix the credentials (EX_NOPERM)
EXIT_INTERRUPTED = 130  # stopped by SIGINT/SIGTERM after finishing or parking current steps

EXIT_CODES = {
    EXIT_OK: "every item done, or routed to the exception queue for a business reason",
    EXIT_APPLICATION: "some items failed for a system reason (see `exceptions`)",
    EXIT_RECIPE: "the recipe or configuration is wrong (nothing ran), or it does not match the "
                 "screens (the run stopped)",
    EXIT_CRASH: "the runner crashed; run it again to resume",
    EXIT_LOCKED: "another run of this recipe is in progress",
    EXIT_TEMPFAIL: "the target system is unavailable; retry later",
    EXIT_CREDENTIALS: "the target system refused the sign-on; fix the credentials first",
    EXIT_INTERRUPTED: "interrupted; run again to finish the batch",
}

HALT_REASONS = {
    "down": "stopped: items in a row failed for a system reason; the target system looks "
            "down (retry later)",
    "screen": "stopped: items in a row did not find what the recipe names on the screen; fix "
              "the recipe",
    "credentials": "stopped at the first refused sign-on: fix the credentials before the "
                   "next run (retrying risks locking the account)",
    "lease": "stopped: this worker lost its hold on the shared database; another worker "
             "takes its items",
}


HALT_EXITS = {"screen": EXIT_RECIPE, "credentials": EXIT_CREDENTIALS}  # else 75


def ended_early(recipe: str, run_id: str, code: int, reason: str) -> dict[str, Any]:
    """The summary line of a run that ended before its items could be counted."""
    return {"event": "run.summary", "recipe": recipe, "run_id": run_id, "exit_code": code,
            "reason": reason}


@dataclass
class Tally:
    """Counts outcomes as items finish."""

    recipe: str
    run_id: str
    outcomes: list[tuple[str, Outcome]] = field(default_factory=list)  # (item name, outcome)
    already_finished: int = 0
    repeated_files: list[str] = field(default_factory=list)
    skipped_files: dict[str, int] = field(default_factory=dict)  # inbox entries, per reason
    halted: bool = False  # the circuit breaker stopped the run
    halted_by: str = ""  # why: "down", "screen" (the recipe does not match) or "lease"
    not_finished: int = 0
    batch: dict[str, Any] | None = None  # before_items/after_items outputs (batch_steps)
    batch_exit: int | None = None  # what a failed batch step calls for
    system_failures: int = 0  # this run's own (not replayed from earlier runs)
    auto_retried: list[tuple[int, Outcome]] = field(default_factory=list)  # (retry n, end)
    auto_times: int = 0  # the recipe's retry_failed.times
    auto_waiting: int = 0  # system failures not yet old enough for their automatic retry
    auto_exhausted: int = 0  # system failures retried as often as the recipe allows: a person's

    def add(self, outcome: Outcome, *, earlier: bool, name: str = "",
            auto_retry: int = 0) -> None:
        self.outcomes.append((name, outcome))
        self.already_finished += int(earlier)
        if auto_retry:
            self.auto_retried.append((auto_retry, outcome))
        # exit 1 says what this run met; an earlier run's failure was told by that run
        self.system_failures += int(outcome.is_system_failure and not earlier)

    def would_submit(self) -> list[dict[str, Any]]:
        """In a dry run: per item, what each stopped submit would have keyed, and its screenshot."""
        return [{"item": name, "step": step_id, "would_submit": output.get("would_submit"),
                 "screenshot": output.get("screenshot")}
                for name, outcome in self.outcomes for step_id, output in outcome.rehearsals]

    def exceptions(self) -> Counter[str]:
        """The exceptions still open, by code (a rejected item is closed)."""
        return Counter(o.code or "-" for _, o in self.outcomes
                       if not o.is_done and o.details.get("review_state") != REJECTED)

    def reviewed(self, state: str) -> int:
        """Items a person resolved by hand or rejected since an earlier run ended them."""
        return sum(o.details.get("review_state") == state for _, o in self.outcomes)

    def application_failures(self) -> int:
        """Items that failed for a system reason in this run."""
        return self.system_failures

    def exit_code(self) -> int:
        if self.halted:
            return HALT_EXITS.get(self.halted_by, EXIT_TEMPFAIL)
        code = EXIT_APPLICATION if self.application_failures() else EXIT_OK
        return max(code, self.batch_exit or EXIT_OK)  # a failed before_items: 2 or 75

    def batch_outputs(self) -> dict[str, Any]:
        """Every batch step's output by step id, as ``${batch.<id>.<field>}`` reads it."""
        if not self.batch:
            return {}
        return {**self.batch.get("before", {}), **self.batch.get("after", {})}

    def summary(self, duration_s: float) -> dict[str, Any]:
        """The one JSON line a run ends with."""
        done = sum(1 for _, o in self.outcomes if o.is_done)
        return {
            "event": "run.summary", "recipe": self.recipe, "run_id": self.run_id,
            "items": len(self.outcomes), "done": done,
            "exceptions": dict(sorted(self.exceptions().items())),
            "application_failures": self.application_failures(),
            "already_finished": self.already_finished,
            "resolved": self.reviewed(RESOLVED), "rejected": self.reviewed(REJECTED),
            "auto_retry": self.auto_retry(),
            "repeated_files": self.repeated_files,
            "skipped_files": self.skipped_files,
            "halted": self.halted, "halted_by": self.halted_by, "not_finished": self.not_finished,
            "duration_s": round(duration_s, 2),
            "exit_code": self.exit_code(), "reason": self.reason(),
        } | ({"batch": self.batch} if self.batch is not None else {})

    def auto_retry(self) -> dict[str, int]:
        """Earlier system failures this run retried and how they ended; those still waiting
        for their retry, and those left for a person (retried as often as the recipe allows)."""
        done = sum(outcome.is_done for _, outcome in self.auto_retried)
        final = sum(not outcome.is_done and (n >= self.auto_times
                                             or not outcome.is_system_failure)
                    for n, outcome in self.auto_retried)  # no run retries these again
        return {"retried": len(self.auto_retried), "done": done,
                "still_open": len(self.auto_retried) - done, "waiting": self.auto_waiting,
                "left_for_a_person": self.auto_exhausted + final}

    def reason(self) -> str:
        """Why the run ends with its exit code, in words a scheduler's operator reads."""
        code = self.exit_code()
        if self.halted_by in HALT_REASONS:
            return HALT_REASONS[self.halted_by]
        if self.batch_exit and code == self.batch_exit:
            failed = (self.batch or {}).get("failed") or {}
            return (f"{failed.get('phase', 'a batch')} step '{failed.get('step', '?')}' "
                    f"failed with {failed.get('code', '?')}: {EXIT_CODES[code]}")
        return EXIT_CODES[code]
