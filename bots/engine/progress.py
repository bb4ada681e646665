"""What a person at a terminal sees while a batch runs: one line per finished item."""

from __future__ import annotations

import sys
from typing import IO, Any

from bots.kernel import Outcome, WorkItem
from bots.terminal import printable


class Progress:
    """Prints progress lines to a stream (stderr), or nothing when `enabled` is false."""

    def __init__(self, enabled: bool, stream: IO[str] | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.total = 0
        self.finished = 0

    def start(self, recipe: str, total: int) -> None:
        self.total = total
        self._print(f"{recipe}: {total} item(s) in the inbox")

    def item_finished(self, item: WorkItem, outcome: Outcome, *, earlier: bool) -> None:
        self.finished += 1
        width = len(str(self.total))
        note = " (finished in an earlier run)" if earlier else ""
        self._print(f"[{self.finished:>{width}}/{self.total}] {item.name:<40} "
                    f"{describe(outcome)}{note}")

    def halted(self, failures: int, remaining: int) -> None:
        """Always said, terminal or not: the run stopped because the target system is down."""
        print(f"stopped: {failures} items in a row failed for a system reason; the target "
              f"system looks down. {remaining} item(s) were left for the next run "
              f"(exit code 75: retry later).", file=self.stream, flush=True)

    def screen_mismatch(self, items: int, remaining: int) -> None:
        """Always said: items in a row did not find what the recipe names on the screen."""
        print(f"stopped: {items} items in a row did not find a field or button the recipe "
              f"names: the recipe does not match the screen (the system answers). Fix the "
              f"recipe (see `exceptions` for the evidence); {remaining} item(s) were left for "
              f"the next run (exit code 2).", file=self.stream, flush=True)

    def batch_done(self, phase: str, outputs: dict[str, Any]) -> None:
        """What the once-per-batch steps returned (shown in the summary's `batch` too)."""
        for step, output in outputs.items():
            self._print(f"{phase} {step}: {_short(output)}")

    def batch_failed(self, failed: dict[str, Any], exit_code: int, items: int) -> None:
        """Always said: a before_items step stopped the run before any item (or an
        after_items step failed after them)."""
        phase, step = failed.get("phase", "?"), failed.get("step", "?")
        line = f"{phase} step '{step}' failed: {failed.get('code')}: {failed.get('message')}"
        if phase == "before_items":
            line = (f"stopped before any item: {line}. {items} item(s) were left for the next "
                    f"run (exit code {exit_code}).")
        print(printable(line), file=self.stream, flush=True)

    def credentials_refused(self, remaining: int) -> None:
        """Always said: the target refused the sign-on, so the run stopped at once."""
        print(f"stopped: the target system refused the sign-on. Fix the credentials given to "
              f"the recipe before the next run (each retry brings the account closer to a "
              f"lockout); {remaining} item(s) were left for the next run (exit code 77).",
              file=self.stream, flush=True)

    def lease_lost(self, remaining: int) -> None:
        """Always said: this worker lost its hold on the state database and stopped."""
        print(f"stopped: this worker lost its connection to the state database for too long; "
              f"{remaining} item(s) were left for the other workers or the next run "
              f"(exit code 75: retry later).", file=self.stream, flush=True)

    def _print(self, line: str) -> None:
        if self.enabled:  # names and messages come from outside: never raw to the terminal
            print(printable(line), file=self.stream, flush=True)


def describe(outcome: Outcome) -> str:
    """A short human description of an item's outcome, safe to print."""
    return printable(_description(outcome))


def _description(outcome: Outcome) -> str:
    stopped = [output for _, output in outcome.rehearsals]
    if outcome.is_done and stopped:
        return f"dry run: would submit {len(stopped[0].get('would_submit') or {})} field(s); " \
               f"screenshot {stopped[0].get('screenshot')}"
    if outcome.is_done:
        return f"done {outcome.reference}" if outcome.reference else "done"
    return f"EXCEPTION {outcome.code}: {outcome.message}"[:160]


def _short(output: Any) -> str:
    """A batch step's output on one line (its bookkeeping keys left out)."""
    if isinstance(output, dict):
        output = {key: value for key, value in output.items() if not key.startswith("_")}
    return printable(str(output))[:160]
