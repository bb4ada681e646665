"""Runs one recipe step for one item: the ONLY place that retries, times out and keeps evidence."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from pydantic import ValidationError
from tenacity import (
    AsyncRetrying,
    RetryError,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from bots.engine.outage import OutageWait
from bots.kernel import StepContext, StepParams, StepType
from bots.kernel.errors import ApplicationError, BotError, BusinessError, TransientError
from bots.kernel.refs import resolve
from bots.recipe.model import RetryPolicy

Sleep = Callable[[float], Awaitable[None]]
Attempt = Callable[[int], Awaitable[Any]]  # one try of a step, given its number (1, 2, ...)


async def call_step(step_type: StepType, values: Mapping[str, Any], scope: Mapping[str, Any],
                    ctx: StepContext, timeout_s: float) -> Any:
    """Resolve parameters, validate them, and run the step function once, within a timeout."""
    params = _params(step_type, resolve(values, scope), ctx.step_id)
    try:
        if step_type.is_async:
            return await asyncio.wait_for(step_type.function(params, ctx), timeout_s)
        return await asyncio.wait_for(asyncio.to_thread(step_type.function, params, ctx),
                                      timeout_s)
    except TimeoutError as error:
        raise TransientError(f"step '{ctx.step_id}' took longer than {timeout_s:g} s",
                             code="TIMEOUT") from error


def _params(step_type: StepType, values: Any, step_id: str) -> StepParams:
    try:
        return step_type.params.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise BusinessError(f"step '{step_id}': value for '{where}' is not valid for this item: "
                            f"{first['msg']} (got {first.get('input')!r})",
                            code="FIELD_INVALID", field=where) from error


def retrying(policy: RetryPolicy, sleep: Sleep) -> AsyncRetrying:
    """Exponential backoff with jitter, on TransientError only."""
    return AsyncRetrying(
        stop=stop_after_attempt(policy.attempts),
        wait=wait_exponential_jitter(multiplier=policy.initial_s, max=policy.max_s,
                                     exp_base=policy.multiplier, jitter=policy.jitter_s),
        retry=retry_if_exception_type(TransientError),
        sleep=sleep,
        reraise=False,
    )


async def with_retries(attempt: Attempt, policy: RetryPolicy,
                       sleep: Sleep = asyncio.sleep,
                       outage: OutageWait | None = None) -> tuple[Any, int]:
    """Run `attempt(n)` until it succeeds or fails for good; (result, attempts made).

    With `outage`, a transient failure that outlives the policy rides out the recipe's outage
    (``ride_out``) before it becomes RETRIES_EXHAUSTED.
    """
    number, last = 0, None  # type: tuple[int, BaseException | None]
    try:
        async for trial in retrying(policy, sleep):
            with trial:
                number = trial.retry_state.attempt_number
                return await attempt(number), number
    except RetryError as exhausted:
        last = exhausted.last_attempt.exception()
    if outage is not None and isinstance(last, TransientError):
        return await ride_out(attempt, number, last, outage, sleep)
    raise exhausted_error(last, number) from last


async def ride_out(attempt: Attempt, number: int, last: TransientError,
                   outage: OutageWait, sleep: Sleep) -> tuple[Any, int]:
    """Try again every `probe_s` while the outage's shared deadline holds; (result, attempts).

    Only a transient failure keeps the item waiting: any other error of a probe ends it as it
    would have ended the first attempt.
    """
    started = outage.gate.clock()
    # the item's own wait is capped too: while other items succeed, a failing one (its own
    # data, not the target) would otherwise join outage after outage and hold a slot for ever
    while outage.join(last.code) and outage.gate.clock() - started < outage.gate.settings.wait_s:
        await sleep(outage.next_probe_s())
        number += 1
        try:
            return await attempt(number), number
        except TransientError as error:
            last = error
    waited_s = round(outage.gate.clock() - started, 1)
    raise exhausted_error(last, number, waited_s) from last


def exhausted_error(last: BaseException | None, attempts: int,
                    waited_s: float = 0) -> ApplicationError:
    """The ApplicationError for a transient failure that outlived every retry (and outage)."""
    details = last.as_dict() if isinstance(last, BotError) else {"message": str(last)}
    waited = f" and {waited_s:g} s waiting out an outage" if waited_s else ""
    error = ApplicationError(
        f"gave up after {attempts} attempts{waited}: {details.get('message')}",
        code="RETRIES_EXHAUSTED", last_code=details.get("code"), attempts=attempts)
    if isinstance(last, BotError) and "evidence" in last.details:
        error.details["evidence"] = last.details["evidence"]
    return error


def unexpected(error: Exception, step_id: str) -> ApplicationError:
    """An ApplicationError for an exception a step did not translate (a bug or a surprise)."""
    return ApplicationError(f"step '{step_id}' failed unexpectedly: "
                            f"{type(error).__name__}: {error}", code="STEP_FAILED")


class Stopwatch:
    """Elapsed seconds since creation."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def seconds(self) -> float:
        return round(time.perf_counter() - self.started, 3)
