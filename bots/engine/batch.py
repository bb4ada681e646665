"""Runs a recipe over its inbox: DBOS launched, one queued workflow per item, a summary."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from bots.engine.attempts import Stopwatch
from bots.engine.breaker import Breaker, halt, resume_if_cancelled
from bots.engine.items import check_env, discover_items, item_to_data
from bots.engine.progress import Progress
from bots.engine.reports import write_reports
from bots.engine.runtime import Runtime, set_runtime
from bots.engine.summary import Tally
from bots.engine.workers import (
    APP_VERSION,
    Lease,
    executor_id,
    is_postgres,
    psycopg_url,
    watch_for_dead_workers,
)
from bots.engine.workflow import item_workflow, workflow_id
from bots.ledger import Ledger, now
from bots.recipe import Recipe
from bots.secrets import redact_data
from bots.sla import due_at, raise_alerts, report, run_counts
from bots.steps.base import WorkItem

RESULT_POLL_S = 0.1  # DBOS's default (1 s) would add most of a second to every short item
SLOW_POLL_S = 2.0  # for items another worker runs: they end without telling this process


@dataclass
class RunOptions:
    """How to run a batch."""

    state_dir: Path
    database_url: str
    dry_run: bool = False
    concurrency: int | None = None
    run_id: str = ""


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


async def run_batch(recipe: Recipe, options: RunOptions, progress: Progress) -> dict[str, Any]:
    """Process every inbox item of the recipe once; the run's summary."""
    clock = Stopwatch()
    run_id = options.run_id or new_run_id()
    check_env(recipe)
    items, repeats = discover_items(recipe)
    ledger = Ledger(options.database_url)
    rt = Runtime(ledger=ledger, run_id=run_id, state_dir=options.state_dir,
                 dry_run=options.dry_run, recipes={recipe.name: recipe})
    set_runtime(rt)
    tally = Tally(recipe.name, run_id, options.dry_run, repeated_files=repeats)
    log = structlog.get_logger().bind(run_id=run_id, recipe=recipe.name)
    log.info("run.started", items=len(items), dry_run=options.dry_run, repeated_files=repeats)
    if not options.dry_run:
        ledger.start_run(run_id, recipe.name)
    lease = launch_dbos(options.database_url)
    watcher = asyncio.ensure_future(watch_for_dead_workers(lease)) if lease else None
    try:
        await _process(recipe, items, options, rt, tally, progress)
        if not options.dry_run:
            write_reports(recipe, rt, ledger)
    finally:
        if watcher is not None:
            watcher.cancel()
        await rt.close()
        DBOS.destroy(destroy_registry=False)
        if lease is not None:
            lease.close()
    summary = tally.summary(clock.seconds)
    if recipe.model.service_goal and not options.dry_run:
        summary["sla"] = check_service_goal(ledger, recipe)
    if options.dry_run:
        summary["dry_run_report"] = str(write_dry_run_report(options.state_dir, recipe, tally))
    if not options.dry_run:
        ledger.finish_run(run_id, summary["exit_code"], summary)
    ledger.close()
    return summary


def check_service_goal(ledger: Ledger, recipe: Recipe) -> dict[str, int]:
    """Alert on items that became at risk or breached, and count the open items by state."""
    goal, at = recipe.model.service_goal, datetime.now(UTC)
    assert goal is not None
    goals = {recipe.name: goal}
    raise_alerts(ledger, report(ledger, recipe.name, goals, at), goals, at)
    return run_counts(ledger, recipe.name, goal, at)


def write_dry_run_report(state_dir: Path, recipe: Recipe, tally: Tally) -> Path:
    """What a dry run would have keyed, per item, as JSON beside the logs."""
    path = state_dir / "dry-runs" / f"{recipe.name}-{tally.run_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(redact_data(tally.would_submit()), indent=2, default=str))
    return path


def launch_dbos(database_url: str) -> Lease | None:
    """Configure and start DBOS on the state database; pending workflows of a crash resume.

    On PostgreSQL, this worker also takes its lease and recovers the work of dead workers.
    """
    executor = executor_id(database_url)
    lease = Lease(database_url, executor) if is_postgres(database_url) else None
    DBOS(config={"name": "bots", "system_database_url": psycopg_url(database_url),
                 "log_level": "WARNING", "run_admin_server": False,  # type: ignore[typeddict-unknown-key]
                 "executor_id": executor, "application_version": APP_VERSION})
    DBOS.launch()
    if lease is not None:
        lease.recover_dead_executors()
    return lease


async def _process(recipe: Recipe, items: list[WorkItem], options: RunOptions, rt: Runtime,
                   tally: Tally, progress: Progress) -> None:
    queue = await register_queue(recipe, options)
    progress.start(recipe.name, len(items))
    pending = {}
    for item in items:
        workflow, waiting = await _enqueue(queue, recipe, item, options, rt)
        pending[workflow] = asyncio.ensure_future(waiting)
    breaker = Breaker(recipe.model.settings.circuit_breaker.consecutive_failures)
    for finished in asyncio.as_completed(list(pending.values())):
        workflow, item, outcome, earlier = await finished
        del pending[workflow]
        tally.add(outcome, earlier=earlier, name=item.name)
        progress.item_finished(item, outcome, earlier=earlier)
        if not earlier and breaker.record(outcome):
            await _stop(pending, tally, progress, rt, breaker)
            return


async def _stop(pending: dict[str, asyncio.Future[Any]], tally: Tally, progress: Progress,
                rt: Runtime, breaker: Breaker) -> None:
    """Trip: cancel what has not finished, and record that the run stopped early."""
    await halt(list(pending), rt.run_id, breaker.streak)
    for waiting in pending.values():
        waiting.cancel()
    tally.halted, tally.not_finished = True, len(pending)
    progress.halted(breaker.streak, len(pending))


async def register_queue(recipe: Recipe, options: RunOptions) -> Any:
    """The recipe's DBOS queue, with its concurrency and rate limit (shared by every process)."""
    settings = recipe.model.settings
    limiter: Any = ({"limit": settings.rate_limit.limit, "period": settings.rate_limit.period_s}
                    if settings.rate_limit else None)
    return await DBOS.register_queue_async(
        f"bots-{recipe.name}", concurrency=options.concurrency or settings.concurrency,
        limiter=limiter, polling_interval_sec=RESULT_POLL_S)


async def _enqueue(queue: Any, recipe: Recipe, item: WorkItem, options: RunOptions,
                   rt: Runtime) -> tuple[str, Any]:
    """Enqueue one item idempotently; its workflow id and an awaitable of its outcome."""
    wid = workflow_id(recipe.name, item.key, dry_run_id=rt.run_id if options.dry_run else None)
    earlier = False
    if not options.dry_run:
        known = rt.ledger.item(wid)
        earlier = bool(known and known["status"] in ("done", "exception"))
        rt.ledger.item_queued(wid, recipe.name, item, rt.run_id)
        goal = recipe.model.service_goal
        if known is None and goal:
            rt.ledger.update_item(wid, due_at=due_at(goal, item.arrived_at or now()))
    with SetWorkflowID(wid):
        handle = await queue.enqueue_async(item_workflow, recipe.name, item_to_data(item))
    handle = await resume_if_cancelled(wid) or handle

    async def outcome() -> tuple[str, WorkItem, dict[str, Any], bool]:
        try:
            return wid, item, await wait_for_result(rt, wid, handle), earlier
        except Exception as error:  # the workflow itself failed: still an explained exception
            return wid, item, _workflow_failure(error), earlier

    return wid, outcome()


async def wait_for_result(rt: Runtime, wid: str, handle: Any) -> Any:
    """An item's outcome: told at once when it ran here, else found by slow polling.

    Polling every item's result quickly would cost thousands of queries a second in a large
    batch; items that run in this process signal their end instead, and the slow poll catches
    those that other workers (or a recovery) finish.
    """
    finished = asyncio.ensure_future(rt.finished(wid).wait())
    polled = asyncio.ensure_future(handle.get_result(polling_interval_sec=SLOW_POLL_S))
    await asyncio.wait({finished, polled}, return_when=asyncio.FIRST_COMPLETED)
    finished.cancel()
    if not polled.done():
        polled.cancel()
        return await handle.get_result(polling_interval_sec=RESULT_POLL_S)
    return polled.result()


def _workflow_failure(error: Exception) -> dict[str, Any]:
    return {"status": "exception", "code": "STEP_FAILED", "kind": "ApplicationError",
            "message": f"the item's workflow failed: {type(error).__name__}: {error}"}
