"""What a person at a terminal sees while a batch runs: one line per finished item, and a live
line of how the run stands (bots.engine.live_line) while items are in flight."""

from __future__ import annotations

import shutil
import sys
import textwrap
from typing import IO, Any

from bots.engine.live_line import LiveLine
from bots.kernel import Outcome, WorkItem
from bots.terminal import printable

MIN_TEXT = 30  # columns an outcome needs beside its item's name; less: its own line


class Progress:
    """Prints progress lines to a stream (stderr), or nothing when `enabled` is false."""

    def __init__(self, enabled: bool, stream: IO[str] | None = None,
                 width: int | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.width = width if width is not None else terminal_width(self.stream)
        self.total = 0
        self.finished = 0
        self.live = LiveLine(self.stream, in_place=_is_terminal(self.stream),
                             width=width) if enabled else None

    def start(self, recipe: str, total: int) -> None:
        self.total = total
        self._print(f"{recipe}: {total} item(s) in the inbox")
        if self.live and total:
            self.live.start(recipe, total)

    def item_finished(self, item: WorkItem, outcome: Outcome, *, earlier: bool) -> None:
        self.finished += 1
        digits = len(str(self.total))
        note = " (finished in an earlier run)" if earlier else ""
        head = f"[{self.finished:>{digits}}/{self.total}] {printable(item.name):<40}"
        if self.live:
            self.live.count(outcome)
        self._print(fitted(head, describe(outcome) + note, self.width), escaped=True)

    def ended(self, summary: dict[str, Any]) -> None:
        """A plain closing line for a person at a terminal, and the next command to run."""
        self.close()
        for line in closing_lines(summary):
            self._print(line)

    def close(self) -> None:
        """The live line stops and is erased (the run ended, or stopped)."""
        if self.live:
            self.live.stop()

    def halted(self, failures: int, remaining: int) -> None:
        """Always said, terminal or not: the run stopped because the target system is down."""
        self.close()
        print(f"stopped: {failures} items in a row failed for a system reason; the target "
              f"system looks down. {remaining} item(s) were left for the next run "
              f"(exit code 75: retry later).", file=self.stream, flush=True)

    def screen_mismatch(self, items: int, remaining: int) -> None:
        """Always said: items in a row did not find what the recipe names on the screen."""
        self.close()
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
        self._erase()
        print(printable(line), file=self.stream, flush=True)

    def credentials_refused(self, remaining: int) -> None:
        """Always said: the target refused the sign-on, so the run stopped at once."""
        self.close()
        print(f"stopped: the target system refused the sign-on. Fix the credentials given to "
              f"the recipe before the next run (each retry brings the account closer to a "
              f"lockout); {remaining} item(s) were left for the next run (exit code 77).",
              file=self.stream, flush=True)

    def lease_lost(self, remaining: int) -> None:
        """Always said: this worker lost its hold on the state database and stopped."""
        self.close()
        print(f"stopped: this worker lost its connection to the state database for too long; "
              f"{remaining} item(s) were left for the other workers or the next run "
              f"(exit code 75: retry later).", file=self.stream, flush=True)

    def _print(self, line: str, *, escaped: bool = False) -> None:
        if self.enabled:  # names and messages come from outside: never raw to the terminal
            self._erase()
            print(line if escaped else printable(line), file=self.stream, flush=True)
            if self.live:
                self.live.printed()

    def _erase(self) -> None:
        if self.live:
            self.live.erase()


def _is_terminal(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


def terminal_width(stream: IO[str]) -> int:
    """The terminal's columns when the stream is one (0: no limit, e.g. a file)."""
    isatty = getattr(stream, "isatty", None)
    return shutil.get_terminal_size().columns if isatty is not None and isatty() else 0


def fitted(head: str, text: str, width: int) -> str:
    """`head` and `text` on one line of at most `width` columns: the text shortened at a word
    boundary with an ellipsis (never cut mid-word), on a line of its own under a long head."""
    head = head.rstrip() if width and len(head) + 1 + len(text) > width else head
    if not width or len(head) + 1 + len(text) <= width:
        return f"{head} {text}"
    room = width - len(head) - 1
    if room >= MIN_TEXT:
        return f"{head} {shorten(text, room)}"
    return f"{shorten(head, width)}\n    {shorten(text, width - 4)}"


def shorten(text: str, width: int) -> str:
    """The text within `width` columns, cut at a word boundary and ended with an ellipsis."""
    return textwrap.shorten(text, width=max(width, 8), placeholder=" …")


def closing_lines(summary: dict[str, Any]) -> list[str]:
    """What the run did, in words, and the command that fits what is left to do."""
    recipe, code = summary.get("recipe", "?"), summary.get("exit_code")
    exceptions = summary.get("exceptions") or {}
    counted = ", ".join(f"{name} {count}" for name, count in exceptions.items())
    said = f"{recipe}: {summary.get('done', 0)} done, {sum(exceptions.values())} exception(s)"
    said += f" ({counted})" if counted else ""
    said += f" in {summary.get('duration_s', 0)} s; exit {code}: {summary.get('reason', '')}"
    lines = [said]
    if exceptions:
        lines.append(f"next: python runner.py exceptions --recipe {recipe}")
    healed = summary.get("auto_retry") or {}  # earlier system failures retried by this run
    if healed.get("retried") or healed.get("left_for_a_person") or healed.get("waiting"):
        lines.append(f"automatic retries: {healed.get('retried', 0)} earlier failure(s) "
                     f"retried, {healed.get('done', 0)} now done; {healed.get('waiting', 0)} "
                     f"wait for a later run, {healed.get('left_for_a_person', 0)} left for "
                     "a person")
    if summary.get("not_finished"):
        lines.append(f"{summary['not_finished']} item(s) wait for the next run: "
                     f"python runner.py {recipe}")
    return lines


def describe(outcome: Outcome) -> str:
    """A short human description of an item's outcome, safe to print."""
    return printable(_description(outcome))


def _description(outcome: Outcome) -> str:
    stopped = [output for _, output in outcome.rehearsals]
    if outcome.is_done and stopped:
        return f"dry run: would submit {len(stopped[0].get('would_submit') or {})} field(s); " \
               f"screenshot {stopped[0].get('screenshot')}"
    review = outcome.details.get("review_state")
    if review == "resolved":
        return f"resolved by hand {outcome.reference}"
    if outcome.is_done:
        return f"done {outcome.reference}" if outcome.reference else "done"
    if review == "rejected":
        return f"rejected ({outcome.code})"
    return f"EXCEPTION {outcome.code}: {outcome.message}"


def _short(output: Any) -> str:
    """A batch step's output on one line (its bookkeeping keys left out)."""
    if isinstance(output, dict):
        output = {key: value for key, value in output.items() if not key.startswith("_")}
    return shorten(printable(str(output)), 160)
