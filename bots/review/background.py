"""Resubmits in the background: the page answers at once, the item page shows the progress.

The resubmit runs as `runner.py exceptions retry` in a subprocess (bots.review.retry), watched
by a thread of the page process that records its result in the ledger (bots.ledger.resubmits)
when it ends. The slot in the ledger, not this process's memory, is what refuses a second
resubmit of the same item, from any browser or any page process.
"""

from __future__ import annotations

import subprocess
import threading
from typing import Any

import structlog

from bots.kernel import Outcome
from bots.ledger import Ledger
from bots.ledger import resubmits as slots
from bots.review import retry
from bots.review.state import ReviewState


def start(app_state: ReviewState, item_id: str, changes: list[str], who: str,
          action: str = "retry") -> tuple[str, str]:
    """Start a resubmit of the item; a flash message (kind, text) saying it started, or why
    it did not (one already running)."""
    if not slots.begin(app_state.ledger, item_id, who, action):
        running = slots.current(app_state.ledger, item_id) or {}
        return "error", (f"A resubmit of this item is already running (started by "
                         f"{running.get('who', '?')} at {clock(running.get('started_at'))}); "
                         "its result appears on this page when it lands.")
    command = retry.retry_command(item_id, changes, who)
    env = retry.retry_env(app_state.state_dir, app_state.database_url)
    try:
        process = subprocess.Popen(command, cwd=app_state.project_root, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as error:
        slots.finish(app_state.ledger, item_id, {"refused": f"could not start: {error}"})
        return "error", f"Resubmit refused: could not start it ({error})."
    threading.Thread(target=_watch, args=(app_state.ledger, item_id, process),
                     name=f"resubmit {item_id}", daemon=True).start()
    return "ok", "Resubmit started; this page shows its result when it lands."


def _watch(ledger: Ledger, item_id: str, process: subprocess.Popen[str]) -> None:
    """Wait for the resubmit and record what it gave (a crash of this thread included)."""
    result: dict[str, Any] = {"refused": "the resubmit ended without an answer"}
    try:
        try:
            stdout, stderr = process.communicate(timeout=retry.RETRY_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            result = {"refused": f"the resubmit took over {retry.RETRY_TIMEOUT_S} s and was "
                                 "stopped; see the state folder's logs"}
        else:
            result = summary(retry.outcome_of(stdout, stderr, process.returncode))
    except Exception as error:  # noqa: BLE001 - recorded, so the slot never stays taken
        structlog.get_logger().error("review.resubmit_failed", item_id=item_id,
                                     error=str(error))
        result = {"refused": f"the page could not follow the resubmit: {error}"}
    finally:
        slots.finish(ledger, item_id, result)


def summary(outcome: Outcome | str) -> dict[str, Any]:
    """The part of a resubmit's outcome the item page shows."""
    if isinstance(outcome, str):
        return {"refused": outcome}
    return {"status": outcome.status, "code": outcome.code, "step": outcome.step,
            "message": outcome.message, "reference": outcome.reference}


def describe(result: dict[str, Any]) -> tuple[str, str]:
    """(kind, text) of a finished resubmit's result, as the item page says it."""
    if result.get("refused"):
        return "error", f"Resubmit refused: {result['refused']}"
    if result.get("status") == "done":
        return "ok", f"Resubmitted: done, reference {result.get('reference') or '-'}."
    return "error", (f"Resubmitted, still an exception: {result.get('code')} in step "
                     f"{result.get('step')}: {result.get('message')}")


def clock(at: str | None) -> str:
    """The time of day of an ISO timestamp (12:03:10), as the page shows it."""
    if not at or "T" not in at:
        return at or "?"
    return at.split("T", 1)[1][:8]
