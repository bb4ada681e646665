"""Ledger calls that survive a dropped database connection.

A PostgreSQL connection can be cut under a running worker (a failover, a proxy's idle timeout,
an administrator). The pool's pre-ping only tests a connection when it is taken, so a call that
meets a connection cut mid-way is run again on a fresh one: each ledger call is one transaction,
and those that write are safe to repeat (an intent or an outcome is set, not added twice).

Writes that belong together (an item's end: its outcome, its events, its claim let go) go in one
transaction (``together``): one commit, so one disk sync instead of one per write. Inside it
the writes share its connection (``begin``) and the group is repeated as a whole.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

import sqlalchemy as sa
import structlog

P = ParamSpec("P")
R = TypeVar("R")
TRIES = 4
PAUSE_S = 0.25
_SHARED: ContextVar[sa.Connection | None] = ContextVar("ledger_together", default=None)


def reconnecting(call: Callable[P, R]) -> Callable[P, R]:
    """Run `call` again (a few times) when its database connection was lost mid-way."""

    @functools.wraps(call)
    def again(*args: P.args, **kwargs: P.kwargs) -> R:
        if _SHARED.get() is not None:  # inside `together`: the group is repeated, not the call
            return call(*args, **kwargs)
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


@contextlib.contextmanager
def begin(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A write transaction: the group's inside ``together``, else a new one."""
    shared = _SHARED.get()
    if shared is not None:
        yield shared
        return
    with engine.begin() as db:
        yield db


def together(engine: sa.Engine, writes: Callable[[], None]) -> None:
    """Run `writes` (ledger calls) in one transaction, repeated whole on a lost connection."""
    if _SHARED.get() is not None:  # already in a group: join it
        writes()
        return

    def grouped() -> None:
        with engine.begin() as db:
            token = _SHARED.set(db)
            try:
                writes()
            finally:
                _SHARED.reset(token)

    reconnecting(grouped)()
