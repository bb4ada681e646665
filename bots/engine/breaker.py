"""The circuit breaker: when the target system is down, stop the run and say so.

Many items failing one after another for a system reason (retries exhausted, the browser gone)
mean the legacy system is down, not that each item is wrong. The breaker trips after the
recipe's number of consecutive application failures: the items in flight are stopped mid-way and
those not started stay on the recipe's queue, all pending for the next run, which takes them
through the queue (its concurrency and rate limit) like any other; the run exits with
EX_TEMPFAIL, so a scheduler retries later instead of an analyst finding hundreds of identical
exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog

from bots.kernel import Outcome


@dataclass
class Breaker:
    """Counts consecutive application failures among the items finished in this run."""

    limit: int
    streak: int = 0
    tripped: bool = False

    def record(self, outcome: Outcome) -> bool:
        """Count one finished item; True when this one trips the breaker."""
        if self.limit <= 0 or self.tripped:
            return False
        self.streak = self.streak + 1 if outcome.is_system_failure else 0
        self.tripped = self.streak >= self.limit
        return self.tripped


def log_trip(unfinished: int, streak: int) -> None:
    """Say that the breaker tripped; the items not finished stay for the next run."""
    structlog.get_logger().error("run.circuit_open", consecutive_failures=streak,
                                 left_for_next_run=unfinished)
