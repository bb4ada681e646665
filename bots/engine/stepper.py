"""One recipe step for one item: retries, evidence on failure, and the side-effect guard.

The guard: before a step that changes another system, the ledger records the intent; after
it, the confirmation. When an attempt starts and finds an unconfirmed intent (a crash or a
timeout after the click), the recipe's `check` decides: found means it happened (its output is
taken), not found means it is safe to try; no check, or a check that fails, means a person must
look (POSSIBLE_DUPLICATE), never a blind second submit. The check also speaks after the last
attempt, so a response lost on that attempt is not reported as a failure that keyed nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import structlog

from bots.chaos import kill_point
from bots.engine.attempts import call_step, unexpected, with_retries
from bots.engine.runtime import Runtime
from bots.errors import ApplicationError, BotError, ItemError, TransientError
from bots.recipe import Recipe, Step
from bots.steps.base import StepContext, WorkItem


@dataclass
class StepRun:
    """Everything one step execution needs."""

    rt: Runtime
    recipe: Recipe
    step: Step
    item: WorkItem
    item_id: str
    outputs: dict[str, Any]

    @property
    def timeout_s(self) -> float:
        return self.step.spec.timeout_s or self.recipe.model.settings.step_timeout_s

    async def context(self, attempt: int) -> StepContext:
        return StepContext(run_id=self.rt.run_id, item=self.item, step_id=self.step.id,
                           attempt=attempt, dry_run=self.rt.dry_run,
                           evidence_dir=self.rt.evidence_dir(self.item_id),
                           web=await self.rt.web_session(self.recipe, self.item_id))


async def execute_step(run: StepRun) -> tuple[Any, int]:
    """Run a step with the recipe's retry policy; (output, attempts). Raises ItemError."""
    policy = run.step.spec.retry or run.recipe.model.settings.retry
    log = structlog.get_logger().bind(run_id=run.rt.run_id, item_id=run.item_id,
                                      step_id=run.step.id)

    async def attempt(number: int) -> Any:
        try:
            return await _attempt(run, number)
        except TransientError as error:
            log.warning("step.retry", attempt=number, code=error.code, error=error.message)
            raise

    try:
        return await with_retries(attempt, policy, run.rt.sleep)
    except ApplicationError as exhausted:
        if exhausted.code != "RETRIES_EXHAUSTED" or not _guarded_here(run):
            raise
        return await _settle_last_attempt(run, exhausted)


def _guarded_here(run: StepRun) -> bool:
    return run.step.type.side_effect and not run.rt.dry_run


async def _settle_last_attempt(run: StepRun, exhausted: ApplicationError) -> tuple[Any, int]:
    """The last attempt of a side effect failed after its intent: it may still have happened.

    Its check decides as it does between attempts: found means done, not found means nothing
    was keyed (RETRIES_EXHAUSTED stands), no answer means POSSIBLE_DUPLICATE.
    """
    attempts = int(exhausted.details.get("attempts", 1))
    intent = run.rt.ledger.intent(run.item_id, run.step.id)
    if not intent or intent["state"] == "confirmed":
        raise exhausted
    found = await _check(run, await run.context(attempts))
    if found is None:
        raise exhausted
    run.rt.ledger.confirm_intent(run.item_id, run.step.id, found)
    return found, attempts


async def _attempt(run: StepRun, number: int) -> Any:
    kill_point("step.start")
    ctx = await run.context(number)
    try:
        if _guarded_here(run):
            return await _guarded(run, ctx)
        return await _call(run, ctx)
    except BotError as error:
        await _keep_evidence(run, ctx, error, number)
        raise
    except Exception as error:  # a step's untranslated exception: keep it, explain it
        failure = unexpected(error, run.step.id)
        await _keep_evidence(run, ctx, failure, number)
        raise failure from error


async def _call(run: StepRun, ctx: StepContext) -> Any:
    scope = run.rt.scope(run.recipe, run.item, run.outputs)
    return await call_step(run.step.type, run.step.spec.with_, scope, ctx, run.timeout_s)


async def _guarded(run: StepRun, ctx: StepContext) -> Any:
    ledger, step_id = run.rt.ledger, run.step.id
    intent = ledger.intent(run.item_id, step_id)
    if intent and intent["state"] == "confirmed":
        return json.loads(intent["output_json"] or "{}")
    if intent:
        found = await _check(run, ctx)
        if found is not None:
            ledger.confirm_intent(run.item_id, step_id, found)
            return found
    ledger.record_intent(run.item_id, step_id)
    kill_point("intent.recorded")
    output = await _call(run, ctx)
    kill_point("submit.done")
    ledger.confirm_intent(run.item_id, step_id, output)
    kill_point("intent.confirmed")
    return output


async def _check(run: StepRun, ctx: StepContext) -> dict[str, Any] | None:
    """The check's verdict on an unconfirmed side effect: its output if it happened, else None."""
    check = run.step.spec.check
    if check is None or run.step.check_type is None:
        raise ApplicationError(
            f"step '{run.step.id}' may already have taken effect (an earlier attempt was "
            "interrupted) and the recipe gives no check to tell", code="POSSIBLE_DUPLICATE")
    scope = run.rt.scope(run.recipe, run.item, run.outputs)
    check_type = run.step.check_type

    async def ask(_attempt: int) -> Any:
        return await call_step(check_type, check.with_, scope, ctx, run.timeout_s)

    policy = run.step.spec.retry or run.recipe.model.settings.retry
    try:
        verdict, _ = await with_retries(ask, policy, run.rt.sleep)
    except Exception as error:
        raise ApplicationError(
            f"step '{run.step.id}' may already have taken effect and its check failed: {error}",
            code="POSSIBLE_DUPLICATE") from error
    if verdict.get("found"):
        return {k: v for k, v in verdict.items() if k != "found"} | {"confirmed_by_check": True}
    return None


async def _keep_evidence(run: StepRun, ctx: StepContext, error: BotError, attempt: int) -> None:
    """Save a screenshot and the page HTML of a failed web step beside the item."""
    session = ctx.web
    is_web_step = run.step.type.name.startswith("web.")
    if not is_web_step or session is None or not getattr(session, "has_page", False):
        return
    try:
        label = f"{ctx.step_id}-attempt{attempt}"
        error.details["evidence"] = await session.capture(ctx.evidence_dir, label)  # type: ignore[attr-defined]
    except Exception as failure:  # evidence is best effort: never mask the real failure
        error.details["evidence_error"] = str(failure)
    if isinstance(error, TransientError | ItemError):
        await session.reset()  # type: ignore[attr-defined]

