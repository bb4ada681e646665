"""The circuit breaker: when the target system is down, or the recipe does not match its
screens, stop the run and say which.

Many items failing one after another for a system reason (retries exhausted, the browser gone)
mean the legacy system is down, not that each item is wrong. The breaker trips after the
recipe's number of consecutive application failures: the items in flight are stopped mid-way and
those not started stay on the recipe's queue, all pending for the next run, which takes them
through the queue (its concurrency and rate limit) like any other; the run exits with
EX_TEMPFAIL, so a scheduler retries later instead of an analyst finding hundreds of identical
exceptions.

A refused sign-on (LOGIN_FAILED) stops the run at once with its own exit code: every later
item would be refused too, and each further attempt brings the account closer to a lockout.

A field or button the recipe names and the screen lacks (SCREEN_MISMATCH) says the opposite:
the system answers, the recipe is wrong. Such items never count as "down"; a few of them in a
row stop the run with exit 2 ("fix the recipe"), since retrying later cannot help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import structlog

from bots.kernel import Outcome

SCREEN_CODES = frozenset({"SCREEN_MISMATCH", "CONTROL_NOT_READY"})
CREDENTIAL_CODES = frozenset({"LOGIN_FAILED"})  # one refusal stops the run: no second try
SCREEN_MISMATCH_LIMIT = 3  # items in a row whose screen did not match the recipe

Trip = Literal["down", "screen", "credentials"]


@dataclass
class Breaker:
    """Counts consecutive failures among the items finished in this run, by what they say."""

    limit: int
    screen_limit: int = SCREEN_MISMATCH_LIMIT
    streak: int = 0  # system failures in a row: the target looks down
    screen_streak: int = 0  # screen mismatches in a row: the recipe does not match
    tripped: Trip | None = None

    def record(self, outcome: Outcome) -> bool:
        """Count one finished item; True when this one trips the breaker (see `tripped`)."""
        if self.tripped:
            return False
        if outcome.code in CREDENTIAL_CODES and not outcome.details.get("replayed"):
            self.tripped = "credentials"  # every later sign-on would be refused too
            return True
        if outcome.code in SCREEN_CODES:
            self.screen_streak += 1
            if self.screen_limit > 0 and self.screen_streak >= self.screen_limit:
                self.tripped = "screen"
            return self.tripped is not None
        self.screen_streak = 0
        if self.limit > 0:
            self.streak = self.streak + 1 if outcome.is_system_failure else 0
            self.tripped = "down" if self.streak >= self.limit else None
        return self.tripped is not None


def log_trip(unfinished: int, breaker: Breaker) -> None:
    """Say why the breaker tripped; the items not finished stay for the next run."""
    log = structlog.get_logger()
    if breaker.tripped == "credentials":
        log.error("run.credentials_refused", left_for_next_run=unfinished,
                  advice="the target refused the sign-on: fix the credentials, then run again")
    elif breaker.tripped == "screen":
        log.error("run.screen_mismatch", consecutive_items=breaker.screen_streak,
                  left_for_next_run=unfinished,
                  advice="the recipe does not match the screen: fix the recipe (see the "
                         "items' evidence), then run again")
    else:
        log.error("run.circuit_open", consecutive_failures=breaker.streak,
                  left_for_next_run=unfinished)
