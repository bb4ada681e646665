"""A worker's lease on PostgreSQL: an advisory lock, a heartbeat, and a grace before takeover.

A session advisory lock says at once that a killed worker is gone, but it also goes when only
the worker's connection drops while the worker runs on. So the lease also beats once a second
in ``bots_workers``; a lost connection is re-made and the lock re-taken at the next beat. Other
workers count a worker gone only when its lock is free AND its last beat is older than
``GRACE_S``; a worker that could not beat for ``STOP_AFTER_S`` (shorter) stops its own
in-flight items first (see ``durable``). So two workers never run one item at once.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import structlog

BEAT_S = 1.0
STOP_AFTER_S = 4.0  # this worker stops its items when it could not beat for this long
GRACE_S = 10.0  # others take over only after this long without a beat (> STOP_AFTER_S)
CONNECT_TIMEOUT_S = 3

WORKERS_TABLE = """CREATE TABLE IF NOT EXISTS bots_workers (
    executor TEXT PRIMARY KEY, beat_at TIMESTAMPTZ NOT NULL, pid INTEGER, host TEXT)"""
BEAT = """INSERT INTO bots_workers (executor, beat_at, pid, host) VALUES (%s, now(), %s, %s)
          ON CONFLICT (executor) DO UPDATE SET beat_at = now(), pid = EXCLUDED.pid,
          host = EXCLUDED.host"""
BEAT_AGE = """SELECT extract(epoch FROM now() - beat_at) FROM bots_workers WHERE executor = %s"""


class AdvisoryLease:
    """This process's lease on PostgreSQL, kept alive by a heartbeat thread."""

    def __init__(self, url: str, executor: str, *, pid: int, host: str) -> None:
        self.url, self.executor, self.pid, self.host = url, executor, pid, host
        self._lock = threading.RLock()  # one connection, used by the beat and the watcher
        self.connection = self._connect()
        self._create_table()
        self._last_beat = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat_forever, daemon=True,
                                        name=f"lease-{executor}")

    def take(self) -> bool:
        """Take the lock and start beating; False when another live process holds the id."""
        if not self._try(self.executor):
            self.connection.close()
            return False
        self._wait_for_previous()
        self._beat()
        self._thread.start()
        return True

    def _wait_for_previous(self) -> None:
        """A process that had this id may run on without its connection: let its grace pass."""
        age = self._execute(BEAT_AGE, [self.executor]).fetchone()
        if age is None or age[0] is None or float(age[0]) >= GRACE_S:
            return
        wait = GRACE_S - float(age[0])
        structlog.get_logger().warning(
            "lease.waiting", executor=self.executor, seconds=round(wait, 1),
            reason="a process with this worker id beat moments ago and may still be running")
        time.sleep(wait)

    def is_held(self, executor: str) -> bool:
        """Whether `executor`'s process may still run: its lock held, or a recent beat."""
        with self._lock:
            if not self._try(executor):
                return True
            self._execute("SELECT pg_advisory_unlock(hashtext(%s))", [_key(executor)])
            age = self._execute(BEAT_AGE, [executor]).fetchone()
        return age is not None and age[0] is not None and float(age[0]) < GRACE_S

    def lost_for_s(self) -> float:
        """Seconds since this lease was last known held (0 while it beats)."""
        age = time.monotonic() - self._last_beat
        return age if age > 2 * BEAT_S else 0.0

    def close(self) -> None:
        """Stop beating and let the id go at once: a clean exit is recovered without grace."""
        self._stop.set()
        with self._lock:
            with contextlib.suppress(Exception):  # the database is gone: the grace runs out
                self._execute("DELETE FROM bots_workers WHERE executor = %s", [self.executor])
                # unlocked here, not by the disconnect: the server ends a session after close()
                # returns, and a watcher asking at once would still see the lock held
                self._execute("SELECT pg_advisory_unlock_all()", [])
            self.connection.close()

    def _beat_forever(self) -> None:
        while not self._stop.wait(BEAT_S):
            try:
                with self._lock:
                    if self._stop.is_set():  # closed while this beat waited for the lock
                        return
                    self._beat()
            except Exception as error:
                structlog.get_logger().warning("lease.beat_failed", executor=self.executor,
                                               error=str(error).strip()[:200])
                self._retake()

    def _beat(self) -> None:
        self._execute(BEAT, [self.executor, self.pid, self.host])
        self._last_beat = time.monotonic()

    def _retake(self) -> None:
        """A fresh connection with the lock taken again (it went with the old connection)."""
        with self._lock:
            if self._stop.is_set():  # a clean close must not be undone by a late retake
                return
            try:
                self.connection.close()
                self.connection = self._connect()
                if self._try(self.executor):
                    self._beat()
                    structlog.get_logger().warning("lease.retaken", executor=self.executor)
            except Exception as error:
                structlog.get_logger().warning("lease.retake_failed", executor=self.executor,
                                               error=str(error).strip()[:200])

    def _connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)

    def _create_table(self) -> None:
        with self._lock:
            self._execute("SELECT pg_advisory_lock(hashtext('bots-workers-table'))", [])
            try:
                self._execute(WORKERS_TABLE, [])
            finally:
                self._execute("SELECT pg_advisory_unlock(hashtext('bots-workers-table'))", [])

    def _try(self, executor: str) -> bool:
        row = self._execute("SELECT pg_try_advisory_lock(hashtext(%s))",
                            [_key(executor)]).fetchone()
        return bool(row and row[0])

    def _execute(self, sql: str, params: list[Any]) -> Any:
        return self.connection.execute(sql, params)


def _key(executor: str) -> str:
    return f"bots-executor:{executor}"
