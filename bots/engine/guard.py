"""The side-effect path: at most once in a real run, never at all in a dry run.

``Guarded``: before a step that changes another system, the ledger records the intent; after
it, the confirmation. When an attempt starts and finds an unconfirmed intent (a crash or a
timeout after the click), the recipe's `check` decides: found means it happened (its output is
taken), not found means it is safe to try; no check, or a check that fails, means a person must
look (POSSIBLE_DUPLICATE), never a blind second submit. The check also speaks after the last
attempt, so a response lost on that attempt is not reported as a failure that keyed nothing.

``Rehearsal`` (a dry run): the step runs with ``ctx.dry_run`` and stops before its submit;
nothing is recorded, nothing is checked.
"""

from __future__ import annotations

import json
from typing import Any

from bots.chaos import kill_point
from bots.engine.attempts import with_retries
from bots.engine.steprun import StepRun
from bots.kernel import ApplicationError, StepContext
from bots.ledger import Ledger


class Guarded:
    """Side effects recorded before and after, settled by the recipe's check when unsure."""

    dry_run = False

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    async def run(self, step: StepRun, ctx: StepContext) -> Any:
        item_id, step_id = step.item.item_id, step.step.id
        intent = self.ledger.intent(item_id, step_id)
        if intent and intent["state"] == "confirmed":
            return json.loads(intent["output_json"] or "{}")
        if intent:
            found = await _checked(step, ctx.attempt)
            if found is not None:
                self.ledger.confirm_intent(item_id, step_id, found)
                return found
        self.ledger.record_intent(item_id, step_id)
        kill_point("intent.recorded")
        output = await step.call(ctx)
        kill_point("submit.done")
        self.ledger.confirm_intent(item_id, step_id, output)
        kill_point("intent.confirmed")
        return output

    async def after_last_attempt(self, step: StepRun, exhausted: ApplicationError,
                                 attempts: int) -> Any:
        """Found by the check means done; not found, or no answer, leaves `exhausted`."""
        intent = self.ledger.intent(step.item.item_id, step.step.id)
        if not intent or intent["state"] == "confirmed":
            raise exhausted
        found = await _checked(step, attempts)
        if found is None:
            raise exhausted
        self.ledger.confirm_intent(step.item.item_id, step.step.id, found)
        return found


class Rehearsal:
    """A dry run: the step stops before its submit; nothing to record or check."""

    dry_run = True

    async def run(self, step: StepRun, ctx: StepContext) -> Any:
        return await step.call(ctx)

    async def after_last_attempt(self, step: StepRun, exhausted: ApplicationError,
                                 attempts: int) -> Any:
        raise exhausted


async def _checked(step: StepRun, attempt: int) -> dict[str, Any] | None:
    """The check's verdict on an unconfirmed side effect: its output if it happened, else None."""

    async def ask(_number: int) -> Any:
        return await step.check(attempt)

    try:
        verdict, _ = await with_retries(ask, step.policy, step.item.sleep)
    except ApplicationError as error:
        if error.code == "POSSIBLE_DUPLICATE":
            raise
        raise _undecided(step, error) from error
    except Exception as error:
        raise _undecided(step, error) from error
    if isinstance(verdict, dict) and verdict.get("found"):
        return {k: v for k, v in verdict.items() if k != "found"} | {"confirmed_by_check": True}
    return None


def _undecided(step: StepRun, error: Exception) -> ApplicationError:
    return ApplicationError(f"step '{step.step.id}' may already have taken effect and its check "
                            f"failed: {error}", code="POSSIBLE_DUPLICATE")
