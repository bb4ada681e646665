"""Many runner processes on one state database: who is who, and who picks up the dead.

Every process is a worker with its own DBOS executor id (``BOTS_WORKER_ID``, or host and pid)
and holds a lease on it while it lives: a file lock beside a SQLite database (one machine), an
advisory lock and a heartbeat on PostgreSQL (many machines; see ``pglease``). A worker looks for
pending workflows of executors whose lease is free, which means their process died, and
recovers them: DBOS puts each back on its queue, and the queue hands each to exactly one
worker. A live process's items are
never taken, whatever else runs on the same state (another recipe, a resubmit, the review page).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
import socket
from pathlib import Path
from typing import IO, Protocol

import structlog
from dbos import DBOS

from bots.engine.pglease import AdvisoryLease
from bots.kernel.errors import BotError


class Lease(Protocol):
    """This process's hold on its executor id, and a way to ask about other executors."""

    executor: str

    def is_held(self, executor: str) -> bool:
        """Whether a live process holds `executor`'s lease."""
        ...

    def lost_for_s(self) -> float:
        """Seconds this process has not been sure to hold its own lease (0: it holds it)."""
        ...

    def close(self) -> None: ...


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql", "postgres://"))


def psycopg_url(url: str) -> str:
    """The URL as psycopg (version 3) takes it: without SQLAlchemy's driver suffix."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def executor_id() -> str:
    """This process's executor id: BOTS_WORKER_ID, else unique per process on this host."""
    return os.environ.get("BOTS_WORKER_ID") or f"{socket.gethostname()}-{os.getpid()}"


def take_lease(database_url: str, executor: str) -> Lease:
    """This process's lease; BotError when another live process holds the same id."""
    if is_postgres(database_url):
        lease = AdvisoryLease(psycopg_url(database_url), executor, pid=os.getpid(),
                              host=socket.gethostname())
        if not lease.take():
            raise _taken(executor)
        return lease
    return FileLease(_sqlite_file(database_url), executor)


class FileLease:
    """Leases as file locks in a folder beside the SQLite database."""

    def __init__(self, database: Path, executor: str) -> None:
        self.folder = database.parent / f"{database.name}-workers"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.executor = executor
        self._handle: IO[str] = self._path(executor).open("a+")
        if not _try_lock(self._handle):
            self._handle.close()
            raise _taken(executor)

    def is_held(self, executor: str) -> bool:
        path = self._path(executor)
        if not path.exists():
            return False
        with path.open("a+") as handle:
            return not _try_lock(handle)  # our lock goes when the file closes

    def lost_for_s(self) -> float:
        return 0.0  # a file lock goes only with the process

    def close(self) -> None:
        self._handle.close()

    def _path(self, executor: str) -> Path:
        return self.folder / (re.sub(r"[^A-Za-z0-9_.-]+", "_", executor) + ".lock")


def recover_dead_executors(lease: Lease) -> list[str]:
    """Recover the pending workflows of executors whose process is gone; their ids."""
    pending = DBOS.list_workflows(status="PENDING", load_input=False, load_output=False)
    others = {status.executor_id for status in pending} - {lease.executor, None}
    dead = sorted(executor for executor in others if executor and not lease.is_held(executor))
    for executor in dead:
        handles = DBOS._recover_pending_workflows([executor])
        structlog.get_logger().warning("worker.recovered", dead_executor=executor,
                                       workflows=len(handles), by=lease.executor)
    return dead


async def watch_for_dead_workers(lease: Lease, every_s: float = 2.0) -> None:
    """While this worker runs, pick up the items of workers that die."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await asyncio.to_thread(recover_dead_executors, lease)
        except Exception as error:  # a passing database hiccup must not end the run
            structlog.get_logger().warning("worker.watch_failed", error=str(error))


def _try_lock(handle: IO[str]) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _taken(executor: str) -> BotError:
    return BotError(f"another live process already works as '{executor}' on this state "
                    "database; give each process its own BOTS_WORKER_ID (or unset it)",
                    code="WORKER_ID_TAKEN")


def _sqlite_file(url: str) -> Path:
    return Path(url.split(":///", 1)[-1])
