"""One DBOS lifecycle for every door that runs items: a batch and a resubmit (the review page's
retry runs the resubmit command).

Inside ``durable(...)`` this process is a DBOS worker with its own executor id and lease,
listening only to the queues it names (a batch: its recipe's queue; a resubmit: none), so it
never takes another process's items; the pending work of dead processes is recovered at launch
and while it runs. A worker that cannot hold its lease (its database connection is gone) is
told by ``Worker.lost`` before anyone may take its items. Leaving the block stops DBOS and lets
the lease go.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import structlog
from dbos import DBOS, DBOSClient, Queue

from bots.engine.leases import (
    Lease,
    executor_id,
    psycopg_url,
    recover_dead_executors,
    take_lease,
    watch_for_dead_workers,
)
from bots.engine.pglease import STOP_AFTER_S
from bots.recipe import Recipe

APP_NAME = "bots"
APP_VERSION = "bots-1"  # fixed, so that a new build still recovers an old build's workflows
LAUNCH_TRIES = 3
RESULT_POLL_S = 0.02  # a queue's poll; DBOS's default (1 s), even 0.1, showed between items
LISTENER_POLL_S = 0.1
RECORD_WAIT_S = 5.0  # at most, for workflows whose items ended to write their ends
DBOS_WORKFLOW_TASK = "_execute_workflow_async"  # the coroutine of a workflow's asyncio task


def queue_name(recipe: str) -> str:
    """The DBOS queue of a recipe's items (shared by every worker of the recipe)."""
    return f"bots-{recipe}"


@dataclass(frozen=True)
class QueueSpec:
    """A recipe's queue as this process declares it: its limits, shared by every worker."""

    name: str
    concurrency: int
    limiter: dict[str, float] | None = None
    poll_s: float = RESULT_POLL_S  # how often this process's queue worker looks for work
    per_worker: int | None = None  # items one worker holds at once, when it is the only one


def queue_spec(recipe: Recipe, concurrency: int | None = None, *,
               ahead: bool = False) -> QueueSpec:
    """The recipe's queue, with its concurrency (the run's, else the recipe's) and rate limit.

    `ahead`: the queue hands out one item more than the concurrency, which waits in the host
    for a free slot (``Host.slots``) with its dequeue and claim done, instead of being
    polled for once the item before it ended. Only where this process is the queue's only
    worker (SQLite: a second run of the recipe exits 4), so the concurrency still holds for
    the target system; never with a rate limit, which counts an item when it is dequeued
    (there the sole worker only declares the queue's limit as its own too).
    """
    settings = recipe.model.settings
    limiter = ({"limit": settings.rate_limit.limit, "period": settings.rate_limit.period_s}
               if settings.rate_limit else None)
    slots = concurrency or settings.concurrency
    if not ahead:
        return QueueSpec(queue_name(recipe.name), slots, limiter)
    if limiter is not None:  # the same limit per worker: a full worker's poll skips the dequeue
        return QueueSpec(queue_name(recipe.name), slots, limiter, per_worker=slots)
    # the next item waits ready, so the queue may be polled less often (each poll costs CPU
    # in a loaded run), as long as it still hands out as many items a second as before; the
    # same limit per worker lets a full worker skip the dequeue, most of a poll's cost
    return QueueSpec(queue_name(recipe.name), slots + 1, None,
                     RESULT_POLL_S * (slots + 1) / slots, per_worker=slots + 1)


@dataclass
class Worker:
    """This process as a DBOS worker: its lease, and an event set if it loses the lease."""

    lease: Lease
    lost: asyncio.Event = field(default_factory=asyncio.Event)


@contextlib.asynccontextmanager
async def durable(database_url: str, *, queues: Sequence[QueueSpec] = ()
                  ) -> AsyncIterator[Worker]:
    """DBOS launched for this process, dequeuing only from `queues`; stopped on leaving."""
    worker = Worker(await asyncio.to_thread(take_lease, database_url, executor_id()))
    try:
        _launch(database_url, worker.lease.executor, queues)
        await asyncio.to_thread(recover_dead_executors, worker.lease)
        watchers = [asyncio.ensure_future(watch_for_dead_workers(worker.lease)),
                    asyncio.ensure_future(watch_own_lease(worker))]
        try:
            yield worker
            await workflows_recorded()
        finally:
            for watcher in watchers:
                watcher.cancel()
    finally:
        await asyncio.to_thread(_stop_dbos, worker)  # the loop goes on closing the browser


def _stop_dbos(worker: Worker) -> None:
    """Stop DBOS (joins its threads) and give up the lease: a thread's work."""
    DBOS.destroy(destroy_registry=False)
    worker.lease.close()


async def workflows_recorded(limit_s: float = RECORD_WAIT_S) -> None:
    """Wait until the workflows of this process have written their ends (a normal end only).

    An item tells its outcome before its workflow returns; DBOS then writes the workflow's end
    in a thread. Cut by DBOS.destroy or by the event loop's end, the write is lost: the
    workflow stays PENDING, and the next run recovers it and runs the item's workflow again.
    """
    ending = [task for task in asyncio.all_tasks() if not task.done()
              and getattr(task.get_coro(), "__name__", "") == DBOS_WORKFLOW_TASK]
    if ending:
        await asyncio.wait(ending, timeout=limit_s)


async def watch_own_lease(worker: Worker, every_s: float = 0.5) -> None:
    """Set `worker.lost` once this process could not hold its lease for STOP_AFTER_S.

    Others may take its items over only later (after their grace), so the holder of the
    batch stops its in-flight items first: two workers never run one item at once.
    """
    while worker.lease.lost_for_s() <= STOP_AFTER_S:
        await asyncio.sleep(every_s)
    structlog.get_logger().error("worker.lease_lost", executor=worker.lease.executor,
                                 seconds=round(worker.lease.lost_for_s(), 1))
    worker.lost.set()


def _launch(database_url: str, executor: str, queues: Sequence[QueueSpec]) -> None:
    """Launch DBOS; a connection cut during its start (migrations) is met by starting again."""
    for attempt in range(1, LAUNCH_TRIES + 1):
        try:
            return _launch_once(database_url, executor, queues)
        except sa.exc.DBAPIError as error:
            if not error.connection_invalidated or attempt == LAUNCH_TRIES:
                raise
            structlog.get_logger().warning("worker.launch_retry", attempt=attempt)
            DBOS.destroy(destroy_registry=False)
            time.sleep(attempt)


def _launch_once(database_url: str, executor: str, queues: Sequence[QueueSpec]) -> None:
    _declare(psycopg_url(database_url), queues)
    config: Any = {"name": APP_NAME, "system_database_url": psycopg_url(database_url),
                   "log_level": "WARNING", "run_admin_server": False,
                   "executor_id": executor, "application_version": APP_VERSION,
                   # its listener sleeps this long between polls, and DBOS.destroy joins it:
                   # the default 1 s added up to a second to the end of every run
                   "notification_listener_polling_interval_sec": LISTENER_POLL_S}
    DBOS(config=config)
    DBOS.listen_queues([queue.name for queue in queues])
    DBOS.launch()


def _declare(system_url: str, queues: Sequence[QueueSpec]) -> None:
    """The queues in the database before DBOS launches: its queue manager starts a worker for
    each on its first pass, where a queue registered after launch waits for its next check,
    up to a second later (it looks for new queues once a second)."""
    if not queues:
        return
    DBOS.migrate(system_url)  # a fresh database has no queue table before this
    client = DBOSClient(system_database_url=system_url, application_name=APP_NAME)
    try:
        for queue in queues:
            limiter: Any = queue.limiter
            client.register_queue(queue.name, concurrency=queue.concurrency, limiter=limiter,
                                  worker_concurrency=queue.per_worker,
                                  polling_interval_sec=queue.poll_s,
                                  on_conflict="always_update")
    finally:
        client.destroy()


async def launched_queue(spec: QueueSpec) -> Queue:
    """The handle of a queue declared at launch, to enqueue on."""
    queue = await DBOS.retrieve_queue_async(spec.name)
    if queue is None:
        raise RuntimeError(f"queue {spec.name} was not declared at launch")
    return queue
