"""A batch's items onto their recipe's queue, and a future of each one's end.

A recipe with ``before_items`` has its items queued while those steps run: the items are held
back until the steps succeed (``BatchSteps.hold_items``), so the first one is dequeued and
waiting when they end, instead of being surveyed, queued and polled for only then (60 to
150 ms of a run). A held item is not yet claimed nor marked running. If the steps fail, every
item is queued all the same and stays on the queue, as the progress line says, for the next
run. Retries of earlier failures start only once the steps succeeded: starting one counts as
an attempt.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bots.engine import auto_retry
from bots.engine.durable import launched_queue, queue_spec
from bots.engine.enqueue import Queued, enqueue_all, outcome_of
from bots.engine.host import Host
from bots.kernel import Outcome, WorkItem
from bots.recipe import Recipe

Waiting = dict[str, asyncio.Future[tuple[Queued, Outcome]]]  # by workflow id


class BatchQueue:
    """The batch's items on the queue: the retries due surveyed first, then the rest queued."""

    def __init__(self, recipe: Recipe, items: list[WorkItem], host: Host, *,
                 dry_run: bool) -> None:
        self.recipe, self.items, self.host, self.dry_run = recipe, items, host, dry_run
        self.retrying: auto_retry.Retrying | None = None
        self.fresh: list[WorkItem] = []  # the inbox's items that no retry covers
        self.waiting: Waiting = {}
        self._early: asyncio.Future[None] | None = None
        self._surveying = asyncio.Lock()

    def begin(self) -> None:
        """Survey and queue now, while the batch's before_items run (see the module doc)."""
        self._early = asyncio.ensure_future(self._all())

    async def survey(self) -> auto_retry.Retrying:
        """The retries due and waiting; the fresh items (once, however often and however
        concurrently asked: `begin`'s queueing and the batch steps may both ask)."""
        async with self._surveying:
            if self.retrying is None:
                queue = await launched_queue(queue_spec(self.recipe))
                retrying = auto_retry.Retrying(queue, self.recipe, self.host)
                await retrying.survey()
                self.fresh = [item for item in self.items if item.key not in retrying.keys]
                self.retrying = retrying
        return self.retrying

    async def retries_due(self) -> bool:
        """Whether a retry of an earlier failure is due in this run."""
        return bool((await self.survey()).choice.due)

    async def enqueue(self) -> Waiting:
        """Every fresh item on the queue (begun early or now); the futures of their ends."""
        if self._early is None:
            self.begin()
        assert self._early is not None
        await self._early
        return self.waiting

    async def _all(self) -> None:
        retrying = await self.survey()
        async for queued in enqueue_all(retrying.queue, self.recipe, self.fresh, self.host,
                                        dry_run=self.dry_run):
            self.waiting[queued.workflow_id] = ended(queued, self.host)

    async def abandon(self) -> None:
        """Stop queueing if it still runs (a stop signal) and let the ends' futures go; what
        was queued stays on the queue for the next run. Nothing to do after a tallied run."""
        if self._early is not None:
            self._early.cancel()  # nothing, once it is done
            await asyncio.gather(self._early, return_exceptions=True)
        for future in self.waiting.values():
            future.cancel()


def ended(queued: Queued, host: Host) -> asyncio.Future[tuple[Queued, Outcome]]:
    """A future of the item's (queued, outcome), however and wherever it ends."""
    return asyncio.ensure_future(_ended(queued, host))


async def _ended(queued: Queued, host: Host) -> tuple[Queued, Outcome]:
    return queued, await outcome_of(queued, host)


def watch(waiting: Waiting, started: list[Queued], host: Host) -> set[asyncio.Future[Any]]:
    """Wait for each started item's end too; the new futures."""
    for queued in started:
        waiting[queued.workflow_id] = ended(queued, host)
    return {waiting[queued.workflow_id] for queued in started}
