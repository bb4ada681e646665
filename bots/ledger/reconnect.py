"""Ledger calls that survive a dropped database connection.

A PostgreSQL connection can be cut under a running worker (a failover, a proxy's idle timeout,
an administrator). The pool's pre-ping only tests a connection when it is taken, so a call that
meets a connection cut mid-way is run again on a fresh one: each ledger call is one transaction,
and those that write are safe to repeat (an intent or an outcome is set, not added twice).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import sqlalchemy as sa
import structlog

P = ParamSpec("P")
R = TypeVar("R")
TRIES = 4
PAUSE_S = 0.25


def reconnecting(call: Callable[P, R]) -> Callable[P, R]:
    """Run `call` again (a few times) when its database connection was lost mid-way."""

    @functools.wraps(call)
    def again(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(1, TRIES + 1):
            try:
                return call(*args, **kwargs)
            except sa.exc.DBAPIError as error:
                if not error.connection_invalidated or attempt == TRIES:
                    raise
                structlog.get_logger().warning("ledger.reconnect", call=call.__name__,
                                               attempt=attempt)
                time.sleep(PAUSE_S * attempt)
        raise AssertionError("unreachable: the last try returns or raises")

    return again
