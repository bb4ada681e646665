"""Many runner processes on one PostgreSQL database: who is who, and who picks up the dead.

On SQLite (the default) one runner per recipe works alone under the id "local", and a new run
recovers what a killed one left. On PostgreSQL every process is a worker with its own executor
id and holds a session advisory lock on it while it lives. At start, a worker looks for pending
workflows of executors whose lock is free, which means their process died, and recovers them:
DBOS re-enqueues each one, and its queue hands each to exactly one worker.
"""

from __future__ import annotations

import asyncio
import os
import socket
from typing import Any

import structlog
from dbos import DBOS

APP_VERSION = "bots-1"  # fixed, so that a new build still recovers an old build's workflows


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql", "postgres://"))


def psycopg_url(url: str) -> str:
    """The URL as psycopg (version 3) takes it: without SQLAlchemy's driver suffix."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def executor_id(url: str) -> str:
    """This process's executor id: "local" on SQLite, unique per worker on PostgreSQL."""
    if not is_postgres(url):
        return "local"
    return os.environ.get("BOTS_WORKER_ID") or f"{socket.gethostname()}-{os.getpid()}"


class Lease:
    """An advisory lock that says "this executor is alive" for as long as the process lives."""

    def __init__(self, url: str, executor: str) -> None:
        import psycopg

        self.url, self.executor = psycopg_url(url), executor
        self.connection: Any = psycopg.connect(self.url, autocommit=True)
        self.connection.execute("SELECT pg_advisory_lock(hashtext(%s))", [_key(executor)])

    def close(self) -> None:
        self.connection.close()

    def recover_dead_executors(self) -> list[str]:
        """Recover the pending workflows of executors whose process is gone; their ids."""
        rows = self.connection.execute(
            "SELECT DISTINCT executor_id FROM dbos.workflow_status "
            "WHERE status = 'PENDING' AND executor_id <> %s", [self.executor]).fetchall()
        dead = [executor for (executor,) in rows if self._is_dead(executor)]
        for executor in dead:
            handles = DBOS._recover_pending_workflows([executor])
            structlog.get_logger().warning("worker.recovered", dead_executor=executor,
                                           workflows=len(handles), by=self.executor)
        return dead

    def _is_dead(self, executor: str) -> bool:
        """Its lock can be taken (then we let it go again at once)."""
        locked = self.connection.execute("SELECT pg_try_advisory_lock(hashtext(%s))",
                                         [_key(executor)]).fetchone()[0]
        if locked:
            self.connection.execute("SELECT pg_advisory_unlock(hashtext(%s))", [_key(executor)])
        return bool(locked)


async def watch_for_dead_workers(lease: Lease, every_s: float = 2.0) -> None:
    """While this worker waits for the batch, pick up the items of workers that die."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await asyncio.to_thread(lease.recover_dead_executors)
        except Exception as error:  # a passing database hiccup must not end the run
            structlog.get_logger().warning("worker.watch_failed", error=str(error))


def _key(executor: str) -> str:
    return f"bots-executor:{executor}"
