"""Riding out an outage (pure logic): one shared deadline, probes, a success that ends it.

A fake clock moves only when the injectable sleep is called, so a 60 s outage takes no time.
"""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping
from typing import Any

import pytest
from structlog.testing import capture_logs

from bots.engine.attempts import with_retries
from bots.engine.outage import OutageGate, OutageWait
from bots.kernel.errors import ApplicationError, BusinessError, TransientError
from bots.recipe.model import Outage, RetryPolicy

POLICY = RetryPolicy(attempts=2, initial_s=0, max_s=0, jitter_s=0)


class FakeTime:
    """A clock that the injectable sleep moves forward."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


class Target:
    """A target system that answers 503 until `back_at` (never, by default)."""

    def __init__(self, time: FakeTime, back_at: float = float("inf")) -> None:
        self.time, self.back_at, self.calls = time, back_at, 0

    async def __call__(self, _number: int) -> Any:
        self.calls += 1
        if self.time.now < self.back_at:
            raise TransientError("503", code="SERVER_ERROR")
        return "keyed"


def gate(time: FakeTime, wait_s: float = 10, probe_s: float = 1) -> OutageGate:
    return OutageGate(Outage(wait_s=wait_s, probe_s=probe_s), clock=time.clock)


def ride(time: FakeTime, outage: OutageGate, target: Target, item: str = "A",
         step: str = "inquiry") -> tuple[Any, int]:
    """One item's step through the retries and the outage, as the stepper runs it."""
    async def attempt(number: int) -> Any:
        output = await target(number)
        outage.succeeded(step)
        return output

    waiting = OutageWait(outage, item, step)
    return asyncio.run(with_retries(attempt, POLICY, time.sleep, waiting))


def events(logs: list[MutableMapping[str, Any]]) -> list[str]:
    return [log["event"] for log in logs if log["event"].startswith("outage.")]


def test_an_item_waits_for_a_target_that_comes_back_and_the_success_ends_the_outage():
    time = FakeTime()
    outage = gate(time)
    target = Target(time, back_at=4.5)
    with capture_logs() as logs:
        assert ride(time, outage, target) == ("keyed", 2 + 5)  # 2 retries, then 5 probes
    assert time.now == 5 and events(logs) == ["outage.started", "outage.ended"]
    ended = logs[-1]
    assert (ended["recovered"], ended["duration_s"], ended["items"]) == (True, 5, 1)
    assert outage.opened_at is None and not outage.gave_up


def test_the_deadline_is_shared_a_later_joiner_waits_only_what_is_left():
    time = FakeTime()
    outage = gate(time, wait_s=10)
    assert outage.join("A", "inquiry", "SERVER_ERROR")  # item A opened it at t=0
    time.now = 6
    with pytest.raises(ApplicationError) as raised:
        ride(time, outage, Target(time), item="B")
    assert time.now == 10, "B waited past the deadline it shares with A"
    assert raised.value.code == "RETRIES_EXHAUSTED" and raised.value.details["attempts"] == 2 + 4
    assert "4 s waiting out an outage" in raised.value.message


def test_past_the_deadline_joiners_fail_after_their_retries_so_the_breaker_can_trip():
    time = FakeTime()
    outage = gate(time, wait_s=10)
    with capture_logs() as logs, pytest.raises(ApplicationError):
        ride(time, outage, Target(time), item="A")
    target = Target(time)
    with pytest.raises(ApplicationError) as raised:
        ride(time, outage, target, item="B")
    assert (raised.value.code, target.calls, time.now) == ("RETRIES_EXHAUSTED", 2, 10)
    assert "outage" not in raised.value.message
    assert events(logs) == ["outage.started", "outage.ended"] and not logs[-1]["recovered"]


def test_items_joining_an_open_outage_share_it_and_are_counted():
    time = FakeTime()
    outage = gate(time, wait_s=10)
    outage.join("A", "inquiry", "SERVER_ERROR")
    outage.join("B", "submit", "TIMEOUT")
    time.now = 3
    with capture_logs() as logs:
        assert ride(time, outage, Target(time, back_at=4), item="C")[0] == "keyed"
    [ended] = logs
    assert (ended["event"], ended["duration_s"], ended["items"]) == ("outage.ended", 4, 3)
    assert ended["steps"] == ["inquiry", "submit"]


def test_a_success_closes_the_outage_and_the_next_failure_opens_a_new_deadline():
    time = FakeTime()
    outage = gate(time, wait_s=10)
    outage.join("A", "inquiry", "SERVER_ERROR")
    time.now = 8
    outage.succeeded("inquiry")  # another item got through: the target is back
    with capture_logs() as logs, pytest.raises(ApplicationError):
        ride(time, outage, Target(time), item="B")  # down again at t=8
    assert time.now == 18 and events(logs) == ["outage.started", "outage.ended"]


def test_a_success_of_a_step_that_never_waited_does_not_end_the_outage():
    time = FakeTime()
    outage = gate(time)
    outage.join("A", "inquiry", "SERVER_ERROR")
    outage.succeeded("claim")  # reading a PDF says nothing about the target
    assert outage.opened_at == 0 and outage.steps == {"inquiry"}


def test_a_success_after_the_deadline_lets_joiners_wait_again():
    time = FakeTime()
    outage = gate(time, wait_s=10)
    with pytest.raises(ApplicationError):
        ride(time, outage, Target(time), item="A")
    outage.succeeded("inquiry")
    assert not outage.gave_up and outage.join("B", "inquiry", "SERVER_ERROR")


def test_wait_s_zero_fails_as_soon_as_the_retries_run_out():
    time = FakeTime()
    target = Target(time)
    with capture_logs() as logs, pytest.raises(ApplicationError) as raised:
        ride(time, gate(time, wait_s=0), target)
    assert (raised.value.code, target.calls, time.now) == ("RETRIES_EXHAUSTED", 2, 0)
    assert events(logs) == []


def test_a_business_error_never_rides_out():
    time = FakeTime()

    async def refused(_number: int) -> Any:
        raise BusinessError("no such policy", code="POLICY_NOT_ON_SCREEN")

    outage = gate(time)
    with capture_logs() as logs, pytest.raises(BusinessError):
        asyncio.run(with_retries(refused, POLICY, time.sleep, OutageWait(outage, "A", "s")))
    assert time.now == 0 and events(logs) == [] and outage.opened_at is None


def test_a_business_error_while_waiting_ends_the_item_with_it():
    time = FakeTime()
    answers = iter([TransientError("503", code="SERVER_ERROR")] * 3
                   + [BusinessError("no such policy", code="POLICY_NOT_ON_SCREEN")])

    async def attempt(_number: int) -> Any:
        raise next(answers)

    waiting = OutageWait(gate(time), "A", "inquiry")
    with pytest.raises(BusinessError) as raised:
        asyncio.run(with_retries(attempt, POLICY, time.sleep, waiting))
    assert raised.value.code == "POLICY_NOT_ON_SCREEN" and time.now == 2


def test_an_item_that_keeps_failing_while_others_succeed_waits_at_most_wait_s():
    time = FakeTime()
    outage = gate(time, wait_s=10, probe_s=1)

    async def poison(_number: int) -> Any:
        outage.succeeded("inquiry")  # another item's inquiry succeeds meanwhile
        raise TransientError("500 for this claim only", code="SERVER_ERROR")

    outage.steps.add("inquiry")
    with pytest.raises(ApplicationError) as exhausted:
        asyncio.run(with_retries(poison, POLICY, time.sleep, OutageWait(outage, "P", "inquiry")))
    assert exhausted.value.code == "RETRIES_EXHAUSTED" and time.now <= 11
