"""One recipe step for one item: its retries, its evidence on failure, its side-effect path.

Retries happen here and only here (``attempts.with_retries``), and so does riding out an
outage of the target (``outage``): a transient failure that outlives the retries waits for the
target with the recipe's other items, up to a deadline they share. A failed attempt asks the
resources the step used for evidence (a screenshot and the page) and resets them, so the next
attempt starts fresh. A step that changes another system goes through the run's side-effect
path (``guard``), which also decides after the last attempt whether it took effect after all.
"""

from __future__ import annotations

from typing import Any

import structlog

from bots.chaos import kill_point
from bots.engine.attempts import unexpected, with_retries
from bots.engine.steprun import StepRun
from bots.kernel import ApplicationError, BotError, ItemError, StepContext, TransientError


async def execute_step(run: StepRun) -> tuple[Any, int]:
    """Run a step with the recipe's retry policy; (output, attempts). Raises ItemError."""

    async def attempt(number: int) -> Any:
        try:
            output = await _attempt(run, number)
        except TransientError as error:
            structlog.get_logger().warning("step.retry", attempt=number, code=error.code,
                                           error=error.message)
            raise
        if run.item.outage is not None:  # any item's success ends an outage of this step
            run.item.outage.succeeded(run.step.id)
        return output

    try:
        return await with_retries(attempt, run.policy, run.item.sleep, run.outage)
    except ApplicationError as exhausted:
        if exhausted.code != "RETRIES_EXHAUSTED" or not run.step.type.side_effect:
            raise
        attempts = int(exhausted.details.get("attempts", 1))
        side_effects = run.item.side_effects
        return await side_effects.after_last_attempt(run, exhausted, attempts), attempts


async def _attempt(run: StepRun, number: int) -> Any:
    kill_point("step.start")
    ctx = await _context(run, number)
    try:
        if run.step.type.side_effect:
            return await run.item.side_effects.run(run, ctx)
        return await run.call(ctx)
    except BotError as error:
        await _keep_evidence(run, ctx, error)
        raise
    except Exception as error:  # a step's untranslated exception: keep it, explain it
        failure = unexpected(error, run.step.id)
        await _keep_evidence(run, ctx, failure)
        raise failure from error


async def _context(run: StepRun, number: int) -> StepContext:
    """The attempt's context; a resource that fails to open fails the attempt like a step."""
    try:
        return await run.context(number)
    except BotError:
        raise
    except Exception as error:
        raise unexpected(error, run.step.id) from error


async def _keep_evidence(run: StepRun, ctx: StepContext, error: BotError) -> None:
    """What the step's resources show, beside the item; then they start fresh for a retry."""
    needs = run.step.type.needs
    label = f"{ctx.step_id}-attempt{ctx.attempt}"
    try:
        evidence = await run.item.resources.evidence(needs, ctx.evidence_dir, label)
        if evidence:
            error.details["evidence"] = evidence
    except Exception as failure:  # evidence is best effort: never mask the real failure
        error.details["evidence_error"] = str(failure)
    if isinstance(error, TransientError | ItemError):
        await run.item.resources.reset(needs)
