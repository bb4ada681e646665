"""Items onto their recipe's queue, and their outcomes back, however and wherever they ended.

Enqueueing is idempotent (the workflow id derives from recipe and item key). An item that ended
in an earlier run gives that run's outcome; one whose workflow raised (an older version, or a
failure writing its end) becomes an exception outcome, recorded so that the ledger never keeps
an item `running` for ever. An item that ran in this process tells its end at once; one another
worker ran is found by polling slowly.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from dbos import DBOS, Queue, SetWorkflowID, WorkflowHandleAsync, WorkflowStatus

from bots.engine.host import Completions, Host
from bots.engine.workflow import item_workflow, workflow_id
from bots.kernel import Outcome, WorkItem
from bots.recipe import Recipe

SLOW_POLL_S = 2.0  # for items another worker runs: they end without telling this process
STATUS_CHUNK = 500  # workflow ids per status query (a database binds a few thousand at most)
ENDED = ("SUCCESS", "ERROR")


@dataclass(frozen=True)
class Queued:
    """An item on the queue: its workflow, and whether it had ended before this run."""

    workflow_id: str
    item: WorkItem
    handle: WorkflowHandleAsync[Any]
    earlier: bool
    auto_retry: int = 0  # an earlier system failure this run retries: the retry's number


async def enqueue_all(queue: Queue, recipe: Recipe, items: list[WorkItem], host: Host,
                      *, dry_run: bool) -> AsyncIterator[Queued]:
    """Put the items on the queue in order (a second time is a no-op); each as it is queued.

    Their earlier statuses are read a few hundred at a time and their ledger rows written in
    one transaction before the first is enqueued: a commit per item waits for the disk once
    per item, on the event loop, while the first items already run.
    """
    wids = [workflow_id(recipe.name, item.key, dry_run_id=host.run_id if dry_run else None)
            for item in items]
    statuses = await _statuses(wids)

    def rows() -> None:
        for wid, item in zip(wids, items, strict=True):
            host.book.queued(wid, recipe, item, host.run_id)

    host.book.together(rows)
    for wid, item in zip(wids, items, strict=True):
        yield await _enqueued(queue, recipe, item, wid, statuses.get(wid), host)


async def _statuses(wids: list[str]) -> dict[str, WorkflowStatus]:
    """The workflows among `wids` that exist already, by id."""
    found: dict[str, WorkflowStatus] = {}
    for start in range(0, len(wids), STATUS_CHUNK):
        for status in await DBOS.list_workflows_async(
                workflow_ids=wids[start:start + STATUS_CHUNK], load_input=False,
                load_output=False):
            found[status.workflow_id] = status
    return found


async def _enqueued(queue: Queue, recipe: Recipe, item: WorkItem, wid: str,
                    status: WorkflowStatus | None, host: Host) -> Queued:
    """One item onto the queue (its ledger row is written already); its workflow handle."""
    earlier = status is not None and status.status in ENDED
    if not earlier:
        host.completions.expect(wid)  # before enqueueing: a fast item may end at once
    with SetWorkflowID(wid):
        handle = await queue.enqueue_async(item_workflow, recipe.name, item.as_data())
    if status is not None and status.status == "CANCELLED":  # stopped by an older version
        handle = await DBOS.resume_workflow_async(wid, queue_name=queue.name)  # its limits too
    return Queued(wid, item, handle, earlier)


async def outcome_of(queued: Queued, host: Host) -> Outcome:
    """The item's outcome, however its workflow ended."""
    try:
        outcome = await wait_for_outcome(host.completions, queued.workflow_id, queued.handle)
    except Exception as error:  # the workflow itself raised: still an explained exception
        outcome = Outcome.broken("STEP_FAILED", f"the item's workflow failed: "
                                 f"{type(error).__name__}: {error}")
        return host.book.settled_earlier(queued.workflow_id, outcome)
    if queued.earlier:
        return host.book.settled_earlier(queued.workflow_id, outcome)
    return outcome


async def wait_for_outcome(completions: Completions, wid: str,
                           handle: WorkflowHandleAsync[Any]) -> Outcome:
    """Told at once when the item ran here, else found by slow polling.

    Polling every item's result quickly would cost thousands of queries a second in a large
    batch; items that run in this process tell their end instead, and the slow poll catches
    those that other workers (or a recovery) finish.
    """
    told = completions.expect(wid)
    polled = asyncio.ensure_future(handle.get_result(polling_interval_sec=SLOW_POLL_S))
    try:
        await asyncio.wait({told, polled}, return_when=asyncio.FIRST_COMPLETED)
        if told.done():
            return told.result()
        return Outcome.from_data(polled.result())
    finally:
        completions.forget(wid)
        polled.cancel()
