"""Runs a recipe over its inbox: every item queued once, its outcome tallied, a summary.

Before anything is queued, the configuration is checked as the environment fills it in (the
variables the recipe names, each resource section, a browser where one is needed): what cannot
work stops the run with exit 2 and nothing `running`. Then, inside one DBOS lifecycle, every
item is enqueued idempotently and its outcome waited for; the circuit breaker stops the run
when the target system looks down. A recipe's ``before_items`` run first, once, while its
items are queued and held (a failure stops the run before any item starts and leaves them
queued, ``bots.engine.batch_queue``), and its ``after_items`` last, also when the run stops
early (``bots.engine.batch_steps``).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
from structlog.contextvars import bound_contextvars

from bots.engine import auto_retry
from bots.engine.attempts import Stopwatch
from bots.engine.batch_queue import BatchQueue, Waiting, watch
from bots.engine.batch_steps import BatchSteps
from bots.engine.book import open_book
from bots.engine.breaker import Breaker, log_trip
from bots.engine.durable import durable, queue_spec
from bots.engine.enqueue import Queued
from bots.engine.host import Host, expecting, hosting
from bots.engine.progress import Progress
from bots.engine.sources import survey_inbox
from bots.engine.summary import Tally
from bots.kernel import Outcome, WorkItem
from bots.ledger import Ledger
from bots.recipe import Recipe


@dataclass
class RunOptions:
    """How to run a batch."""

    state_dir: Path
    database_url: str
    dry_run: bool = False
    concurrency: int | None = None
    run_id: str = ""
    heal: bool = True  # web steps may re-find controls a changed screen lost


Ended = tuple[Queued, Outcome] | tuple[None, None]  # an item's end, or the lease lost
STOP_GRACE_S = 20.0  # how long after_items may take when the run stops early


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


async def run_batch(recipe: Recipe, options: RunOptions, progress: Progress) -> dict[str, Any]:
    """Process every inbox item of the recipe once; the run's summary."""
    clock, run_id = Stopwatch(), options.run_id or new_run_id()
    ledger = Ledger(options.database_url)
    book = open_book(options.dry_run, ledger, options.state_dir)
    host = Host(run_id, options.state_dir, book, {recipe.name: recipe}, heal=options.heal,
                slots=asyncio.Semaphore(options.concurrency or recipe.model.settings.concurrency))
    batch = BatchSteps(recipe, host)
    try:
        with bound_contextvars(run_id=run_id, recipe=recipe.name), expecting(host):
            items, tally = await _prepare(recipe, host, options)
            batch.hold_items()
            extra: dict[str, Any] = {}
            queue = queue_spec(recipe, options.concurrency, ahead=_sole_worker(options))
            async with durable(options.database_url, queues=[queue]) as worker, \
                    hosting(host, worker.lease):
                queued = BatchQueue(recipe, items, host, dry_run=options.dry_run)
                try:
                    if await _before_items(batch, tally, progress, queued):
                        await _items_then_after(queued, tally, progress, worker.lost, batch)
                        extra = book.run_finished(run_id, recipe, tally)
                finally:
                    await queued.abandon()
            await host.close()  # the browser closed while DBOS stopped: part of the run's time
            summary = tally.summary(clock.seconds) | extra
            book.close_run(run_id, summary)
            return summary
    finally:
        await host.close()  # what was warmed if the run stopped before hosting its items
        ledger.close()


def _sole_worker(options: RunOptions) -> bool:
    """Whether this process is its recipe's only worker (SQLite: one run per recipe)."""
    return options.database_url.startswith("sqlite")


async def _before_items(batch: BatchSteps, tally: Tally, progress: Progress,
                        queued: BatchQueue) -> bool:
    """Run the recipe's before_items, the items queued meanwhile and held; whether the items
    may start (else they stay queued for the next run)."""
    if batch.recipe.before_items:
        queued.begin()
    started = await batch.run_before(queued.items, dry_run=queued.dry_run,
                                     retries_due=queued.retries_due)
    _tally_batch(batch, tally)
    if not started:
        await queued.enqueue()  # all of them queued, as the line says, not some
        tally.not_finished = len(queued.items)
        progress.batch_failed(batch.failed or {}, tally.exit_code(), len(queued.items))
    elif batch.before:
        progress.batch_done("before_items", batch.before)
    return started


async def _items_then_after(queued: BatchQueue, tally: Tally, progress: Progress,
                            lease_lost: asyncio.Event, batch: BatchSteps) -> None:
    """The items, then after_items, which also run when the items stop early (within
    STOP_GRACE_S then: a scheduler's stop leaves a process little time)."""
    try:
        await _process(queued, tally, progress, lease_lost)
    except BaseException:  # a stop signal, or the runner's own failure
        await _after_items(batch, queued.host, tally, progress, STOP_GRACE_S)
        raise
    await _after_items(batch, queued.host, tally, progress,
                       STOP_GRACE_S if tally.halted else None)


async def _after_items(batch: BatchSteps, host: Host, tally: Tally, progress: Progress,
                       limit_s: float | None) -> None:
    host.closing = True  # no item starts here any more: the batch is ending
    await host.stop_items()
    await batch.run_after(limit_s)
    _tally_batch(batch, tally)
    if batch.failed is not None:
        progress.batch_failed(batch.failed, tally.exit_code(), 0)
    elif batch.after:
        progress.batch_done("after_items", batch.after)


def _tally_batch(batch: BatchSteps, tally: Tally) -> None:
    if batch.recipe.before_items or batch.recipe.after_items:
        tally.batch, tally.batch_exit = batch.summary(), batch.exit_code


async def _prepare(recipe: Recipe, host: Host,
                   options: RunOptions) -> tuple[list[WorkItem], Tally]:
    """What must hold before anything is queued; the inbox's items and their tally.

    A slow resource (a browser) starts while the inbox is read, in a thread so that the start
    goes on meanwhile, and while the queue launches; a run with nothing to do closes it unused.
    """
    host.prepare(recipe)
    host.resources(recipe).warm()
    inbox = await asyncio.to_thread(survey_inbox, recipe)
    structlog.get_logger().info("run.started", items=len(inbox.items), dry_run=options.dry_run,
                                repeated_files=inbox.repeats, skipped_files=len(inbox.skipped))
    host.book.run_started(host.run_id, recipe)
    return inbox.items, Tally(recipe.name, host.run_id, repeated_files=inbox.repeats,
                              skipped_files=inbox.skipped_by_reason())


async def _process(queued: BatchQueue, tally: Tally, progress: Progress,
                   lease_lost: asyncio.Event) -> None:
    recipe, host = queued.recipe, queued.host
    retrying = await queued.survey()
    choice = retrying.choice
    tally.auto_times = recipe.model.settings.retry_failed.times
    tally.auto_waiting, tally.auto_exhausted = len(choice.waiting), len(choice.exhausted)
    progress.start(recipe.name, len(queued.fresh) + len(choice.due))
    waiting = await queued.enqueue()
    watch(waiting, await retrying.start(), host)  # after the new work
    breaker = Breaker(recipe.model.settings.circuit_breaker.consecutive_failures)
    lost = asyncio.ensure_future(_lost(lease_lost))
    try:
        stopped_by = await _tally_ends(waiting, lost, breaker, tally, progress, retrying)
    finally:
        lost.cancel()
    tally.auto_waiting += len(retrying.held)  # never started: a later run's
    for name, outcome in retrying.unstarted({item.key for item in queued.items}):
        tally.add(outcome, earlier=True, name=name)
    if stopped_by:
        await _stop(waiting, tally, host)
        tally.halted_by = stopped_by
    if stopped_by == "lease":
        progress.lease_lost(tally.not_finished)
    elif stopped_by == "screen":
        progress.screen_mismatch(breaker.screen_streak, tally.not_finished)
    elif stopped_by == "credentials":
        progress.credentials_refused(tally.not_finished)
    elif stopped_by == "down":
        progress.halted(breaker.streak, tally.not_finished)


async def _tally_ends(waiting: Waiting, lost: asyncio.Future[Ended], breaker: Breaker,
                      tally: Tally, progress: Progress,
                      retrying: auto_retry.Retrying) -> str | None:
    """Tally the items as they end; why the run must stop early ('lease', 'down', 'screen',
    'credentials'), or None. Retries held back start once an item is done."""
    pending: set[asyncio.Future[Any]] = {*waiting.values(), lost}
    while waiting:
        finished, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for future in finished:
            queued, outcome = future.result()
            if queued is None or outcome is None:  # this worker lost its lease
                return "lease"
            del waiting[queued.workflow_id]
            tally.add(outcome, earlier=queued.earlier, name=queued.item.name,
                      auto_retry=queued.auto_retry)
            progress.item_finished(queued.item, outcome, earlier=queued.earlier)
            if not queued.earlier and breaker.record(outcome):
                log_trip(len(waiting), breaker)
                return breaker.tripped
            if retrying.held and _signed_on(queued, outcome):
                pending |= watch(waiting, await retrying.proven(), retrying.host)
    return None


def _signed_on(queued: Queued, outcome: Outcome) -> bool:
    """Whether this item shows the sign-on works: it ran here and is done (not an earlier end,
    nor an item a person settled, which signed on nowhere)."""
    return outcome.is_done and not queued.earlier and "review_state" not in outcome.details


async def _lost(lease_lost: asyncio.Event) -> Ended:
    await lease_lost.wait()
    return None, None


async def _stop(waiting: Waiting, tally: Tally, host: Host) -> None:
    """Stop early: the items in flight here stop mid-way; all unfinished stay pending.

    Nothing is cancelled in DBOS: the next run (or another live worker) takes them from the
    recipe's queue, with its concurrency and rate limit.
    """
    # the steps cut short are expected now; DBOS would warn of each with all its arguments
    logging.getLogger("dbos").setLevel(logging.ERROR)
    await host.stop_items()
    for future in waiting.values():
        future.cancel()
    tally.halted, tally.not_finished = True, len(waiting)
