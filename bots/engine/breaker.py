"""The circuit breaker: when the target system is down, stop the run and say so.

Many items failing one after another for a system reason (retries exhausted, the browser gone)
mean the legacy system is down, not that each item is wrong. The breaker trips after the
recipe's number of consecutive application failures: the items not yet started are cancelled
(the next run resumes them) and the run exits with EX_TEMPFAIL, so a scheduler retries later
instead of an analyst finding hundreds of identical exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from dbos import DBOS

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


async def halt(workflow_ids: list[str], streak: int) -> None:
    """Cancel the workflows of items not finished yet; a later run resumes them."""
    structlog.get_logger().error("run.circuit_open", consecutive_failures=streak,
                                 cancelled=len(workflow_ids))
    for workflow_id in workflow_ids:
        await DBOS.cancel_workflow_async(workflow_id)

