"""The side-effect path: at most once in a real run, never at all in a dry run.

``Guarded``: before a step that changes another system, the ledger records the intent (only
while this worker's claim on the item stands); after it, the confirmation. When an attempt
starts and finds an unconfirmed intent (a crash or a timeout after the click), the recipe's
`check` decides, once the submit is `settle_s` old (a target may commit after the answer was
lost): found means it happened (its output is taken), not found means it is safe to try; no
check, or a check that fails, means a person must look (POSSIBLE_DUPLICATE), never a blind
second submit. The check also speaks after the last attempt, so a response lost on that attempt
is not reported as a failure that keyed nothing, and before the first submit (`before_submit`),
so an item keyed without our record is settled as done (`found_in_target`).

``Rehearsal`` (a dry run): the step runs with ``ctx.dry_run`` and stops before its submit;
nothing is recorded, nothing is checked.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import structlog

from bots.chaos import kill_point
from bots.engine.attempts import with_retries
from bots.engine.steprun import StepRun
from bots.kernel import ApplicationError, StepContext, TransientError
from bots.ledger import Ledger
from bots.ledger.claims import Fence


class Guarded:
    """Side effects recorded before and after, settled by the recipe's check when unsure."""

    dry_run = False

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.fences: dict[str, Fence] = {}  # item id -> this process's claim on it

    async def run(self, step: StepRun, ctx: StepContext) -> Any:
        item_id, step_id = step.item.item_id, step.step.id
        intent = self.ledger.intent(item_id, step_id)
        if intent and intent["state"] == "confirmed":
            return json.loads(intent["output_json"] or "{}")
        found = await (self._settled(step, ctx, intent) if intent else self._found_first(step, ctx))
        if found is not None:
            return found
        self.ledger.record_intent(item_id, step_id, self.fences.get(item_id))
        kill_point("intent.recorded")
        sent = _SubmitMark(ctx, marked=step.step.type.marks_submit)
        try:
            output = await step.call(ctx)
        except BaseException:
            if sent.submitted:
                self.ledger.intent_unanswered(item_id, step_id)  # settle_s counts from here
            else:  # it failed before its submit: nothing reached the other system
                self.ledger.clear_intent(item_id, step_id)
            raise
        kill_point("submit.done")
        self.ledger.confirm_intent(item_id, step_id, output)
        kill_point("intent.confirmed")
        if isinstance(output, dict) and output.get("_healed"):
            await _prove_heal(step, ctx, output)
        return output

    async def after_last_attempt(self, step: StepRun, exhausted: ApplicationError,
                                 attempts: int) -> Any:
        """Found by the check means done; not found, or no answer, leaves `exhausted`."""
        intent = self.ledger.intent(step.item.item_id, step.step.id)
        if not intent or intent["state"] == "confirmed":
            raise exhausted
        await self._wait_for_late_commit(step, intent)
        found = await _checked(step, attempts)
        if found is None:
            raise exhausted
        self.ledger.confirm_intent(step.item.item_id, step.step.id, found)
        return found

    async def _settled(self, step: StepRun, ctx: StepContext,
                       intent: dict[str, Any]) -> dict[str, Any] | None:
        """An unconfirmed intent (a crash, a lost answer): the check's output if it happened."""
        await self._wait_for_late_commit(step, intent)
        found = await _checked_once(step, ctx.attempt)
        if found is not None:
            self.ledger.confirm_intent(step.item.item_id, step.step.id, found)
        return found

    async def _found_first(self, step: StepRun, ctx: StepContext) -> dict[str, Any] | None:
        """Before the first submit: search the target, since our record may be missing
        (a wiped or restored state, a renamed recipe, an item keyed by hand)."""
        spec = step.step.spec.check
        if spec is None or not spec.before_submit:
            return None
        verdict = await step.check(ctx.attempt)  # a failure here is an ordinary failed attempt
        if not (isinstance(verdict, dict) and verdict.get("found")):
            return None
        found = _found_output(verdict) | {"found_in_target": True}
        structlog.get_logger().warning("side_effect.found_in_target", step_id=step.step.id,
                                       reference=found.get("reference"))
        self.ledger.record_intent(step.item.item_id, step.step.id,
                                  self.fences.get(step.item.item_id))
        self.ledger.confirm_intent(step.item.item_id, step.step.id, found)
        return found

    async def _wait_for_late_commit(self, step: StepRun, intent: dict[str, Any]) -> None:
        """A target may commit a submit after its answer was lost: not found is trusted only
        `settle_s` after the attempt gave up (or, after a crash, after the intent)."""
        spec = step.step.spec.check
        settle_s = spec.settle_s if spec else 0.0
        last_heard = datetime.fromisoformat(intent.get("unanswered_at") or intent["intended_at"])
        remaining = settle_s - (datetime.now(UTC) - last_heard).total_seconds()
        if remaining > 0:
            await step.item.sleep(remaining)


class Rehearsal:
    """A dry run: the step stops before its submit; nothing to record or check."""

    dry_run = True

    async def run(self, step: StepRun, ctx: StepContext) -> Any:
        return await step.call(ctx)

    async def after_last_attempt(self, step: StepRun, exhausted: ApplicationError,
                                 attempts: int) -> Any:
        raise exhausted


async def _checked(step: StepRun, attempt: int) -> dict[str, Any] | None:
    """The check's verdict on an unconfirmed side effect, with the step's retries: its output
    if it happened, else None; a check that never answers leaves a person to decide."""

    async def ask(_number: int) -> dict[str, Any] | None:
        return await _checked_once(step, attempt)

    try:
        found, _ = await with_retries(ask, step.policy, step.item.sleep)
    except ApplicationError as error:
        if error.code == "POSSIBLE_DUPLICATE":
            raise
        raise _undecided(step, error) from error
    return found if isinstance(found, dict) else None


async def _checked_once(step: StepRun, attempt: int) -> dict[str, Any] | None:
    """The check once, inside an attempt: a transient failure fails the attempt (the stepper
    retries it, and rides out an outage); any other failure leaves a person to decide."""
    try:
        verdict = await step.check(attempt)
    except TransientError:
        raise
    except ApplicationError as error:
        if error.code == "POSSIBLE_DUPLICATE":
            raise
        raise _undecided(step, error) from error
    except Exception as error:
        raise _undecided(step, error) from error
    if isinstance(verdict, dict) and verdict.get("found"):
        return _found_output(verdict)
    return None


class _SubmitMark:
    """Whether a side-effect step got as far as its submit in this attempt.

    A step declared ``marks_submit`` calls ``ctx.submitting()`` right before the click that
    changes the other system; any other step counts as submitted from its first line.
    """

    def __init__(self, ctx: StepContext, *, marked: bool) -> None:
        self.submitted = not marked
        ctx.on_submit = self._mark

    def _mark(self) -> None:
        self.submitted = True


async def _prove_heal(step: StepRun, ctx: StepContext, output: dict[str, Any]) -> None:
    """A side effect done through a re-found control counts only when the check finds it
    (with the same reference): else a person must look (HEAL_UNPROVEN), never a silent green."""
    try:
        verdict = await _checked_once(step, ctx.attempt)
    except Exception as error:  # a retry would find the intent confirmed: decide now
        structlog.get_logger().warning("healed.check_failed", step_id=step.step.id,
                                       error=str(error))
        verdict = None
    reference, seen = output.get("reference"), (verdict or {}).get("reference")
    if verdict is not None and (not reference or not seen or str(seen) == str(reference)):
        structlog.get_logger().info("healed.proven", step_id=step.step.id, reference=reference)
        return
    names = ", ".join(str(heal.get("name")) for heal in output["_healed"])
    raise ApplicationError(
        f"step '{step.step.id}' re-found {names} on a changed screen and submitted, but its "
        f"check did not find the result (reference {reference!r}, check saw {seen!r}); "
        "verify the record by hand", code="HEAL_UNPROVEN", healed=output["_healed"],
        output={k: v for k, v in output.items() if not k.startswith("_")})


def _found_output(verdict: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in verdict.items() if k != "found"} | {"confirmed_by_check": True}


def _undecided(step: StepRun, error: Exception) -> ApplicationError:
    return ApplicationError(f"step '{step.step.id}' may already have taken effect and its check "
                            f"failed: {error}", code="POSSIBLE_DUPLICATE")
