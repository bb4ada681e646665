"""Riding out a target system that stopped answering: one shared deadline per recipe.

When a step's transient failures outlive its retry policy, the item does not fail at once: it
joins the recipe's outage. The first item to join opens it, with a deadline `settings.outage.
wait_s` from then that every later joiner shares (a wait per item would let a long queue wait
for ever). Meanwhile each waiting item tries its attempt again every `probe_s` (the loop is in
``attempts``, the only place that retries). A success of a step the outage held up means the
target is back: the outage ends and the next failure opens a new one. Once the deadline has
passed, joiners fail after their normal retries, so the circuit breaker sees the run of
failures and stops the run, until a success shows the target back.

The gate only counts time and members; it never sleeps or calls a step. It lives in the
``Host`` (one per recipe in this process) and is touched only from the event loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import structlog

from bots.recipe.model import Outage

Clock = Callable[[], float]


@dataclass
class OutageGate:
    """The outage of one recipe's target in this process: when it opened, who waits for it."""

    settings: Outage
    clock: Clock = time.monotonic  # a test pairs it with the run's injectable sleep
    opened_at: float | None = None
    gave_up: bool = False  # the deadline passed: joiners fail until a success
    steps: set[str] = field(default_factory=set)  # the steps it held up
    items: set[str] = field(default_factory=set)  # the items that waited for it

    @property
    def probe_s(self) -> float:
        return self.settings.probe_s

    def join(self, item_id: str, step_id: str, code: str) -> bool:
        """A step's retries ran out on a transient failure: True while the item may wait."""
        if self.settings.wait_s <= 0 or self.gave_up:
            return False
        if self.opened_at is None:
            self._open(step_id, code)
        self.steps.add(step_id)
        self.items.add(item_id)
        return not self._passed()

    def next_probe_s(self) -> float:
        """How long to wait before the next try: `probe_s`, or less to try at the deadline."""
        remaining = self._deadline() - self.clock() if self.opened_at is not None else 0.0
        return max(0.0, min(self.probe_s, remaining))

    def succeeded(self, step_id: str) -> None:
        """A step succeeded: if the outage held it up, the target is back."""
        if step_id not in self.steps:
            return  # a step that never waited (reading a PDF) says nothing about the target
        if self.opened_at is not None:
            self._end(recovered=True)
        elif self.gave_up:  # back after items failed for it: joiners may wait again
            structlog.get_logger().info("outage.cleared", step_id=step_id)
        self.gave_up = False
        self.steps.clear()

    def _open(self, step_id: str, code: str) -> None:
        self.opened_at = self.clock()
        self.items.clear()
        structlog.get_logger().warning("outage.started", first_step=step_id, code=code,
                                       wait_s=self.settings.wait_s, probe_s=self.probe_s)

    def _passed(self) -> bool:
        """Whether the shared deadline has passed; the first to notice ends the outage."""
        if self.opened_at is None or self.clock() < self._deadline():
            return False
        self._end(recovered=False)
        self.gave_up = True
        return True

    def _deadline(self) -> float:
        assert self.opened_at is not None
        return self.opened_at + self.settings.wait_s

    def _end(self, *, recovered: bool) -> None:
        assert self.opened_at is not None
        lasted = round(self.clock() - self.opened_at, 3)
        log = structlog.get_logger()
        (log.info if recovered else log.error)(
            "outage.ended", recovered=recovered, duration_s=lasted, items=len(self.items),
            steps=sorted(self.steps), wait_s=self.settings.wait_s)
        self.opened_at = None


@dataclass(frozen=True)
class OutageWait:
    """One item's step as a member of its recipe's outage (what the retry loop holds)."""

    gate: OutageGate
    item_id: str
    step_id: str

    def join(self, code: str) -> bool:
        return self.gate.join(self.item_id, self.step_id, code)

    def next_probe_s(self) -> float:
        return self.gate.next_probe_s()
