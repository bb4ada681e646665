"""A run's automatic retries of earlier system failures: found in the ledger, judged by the
recipe's policy (``bots.engine.retry_policy``), put on the recipe's queue, audited and logged.

Each automatic retry is its own workflow, ``<item id>#auto<n>``, resumed at the step that
failed with the ledger's item id, so the side-effect guard and check of that step work as in
`exceptions retry`: a submit whose answer was lost is looked for, never sent blind a second
time. The number n counts the item's "auto-retry" audit entries; a run that stopped after
enqueueing retry n leaves it pending, and the next run finishes that same workflow instead of
starting another. The retry's workflow (``bots.auto_retry``) first looks at the item again: one
a person settled while the retry waited its turn on the queue (resolved by hand, rejected, or
retried to done) is not run. A dry run retries nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog
from dbos import DBOS, Queue, SetWorkflowID

from bots.engine.book import LedgerBook, as_it_stands
from bots.engine.boundary import ItemRun
from bots.engine.enqueue import Queued
from bots.engine.host import Host, ready_host
from bots.engine.recipe_of import stamp_of
from bots.engine.retry_ledger import AUTO, OpenItem, open_items
from bots.engine.retry_policy import (
    Choice,
    Failed,
    choose,
    note,
    probe_first,
    resume_plan,
    work_item_data,
)
from bots.kernel import Outcome, WorkItem
from bots.kernel.outcome import BUSINESS
from bots.ledger import Ledger
from bots.ledger.actions import OPEN
from bots.recipe import Recipe

UNENDED = ("PENDING", "ENQUEUED", "CANCELLED")  # a workflow a stopped run left behind
# Items recorded before outcomes carried their kind: the codes only a system failure has.
SYSTEM_CODES = frozenset({"LOGIN_FAILED", "SESSION_EXPIRED", "TIMEOUT", "SERVER_ERROR",
                          "BROWSER_ERROR", "RETRIES_EXHAUSTED", "STEP_FAILED"})


def auto_workflow_id(item_id: str, attempt: int) -> str:
    return f"{item_id}#auto{attempt}"


async def survey(recipe: Recipe, host: Host, at: datetime | None = None) -> Choice:
    """The recipe's open system failures, judged by its retry_failed policy (nothing in a dry
    run: its book is not the ledger)."""
    if not isinstance(host.book, LedgerBook):
        return Choice()
    failures = [failed for item in open_items(host.book.ledger, recipe.name)
                if _queued_from(item.row, recipe) and (failed := await failed_of(item))]
    return choose(failures, recipe.model.settings.retry_failed, at or datetime.now(UTC))


def _queued_from(row: dict[str, Any], recipe: Recipe) -> bool:
    """Whether the item was queued from this recipe file: another file of the same name keeps
    its items (`exceptions retry` runs them with that file) while it exists."""
    recorded = row.get("recipe_path")
    return not recorded or not Path(recorded).is_file() or \
        Path(recorded).resolve() == recipe.path.resolve()


async def failed_of(item: OpenItem) -> Failed | None:
    """One open item as the policy sees it; None for one that is not the policy's (a business
    exception, an item running in another process)."""
    row, ended = item.row, item.ended
    # as Outcome.is_system_failure: an exception that is not a business one
    system = ended.get("kind") != BUSINESS if ended else row["code"] in SYSTEM_CODES
    if not system and row["status"] == "exception":
        return None
    pending = item.retried > 0 and await _unended(auto_workflow_id(row["item_id"], item.retried))
    if row["status"] != "exception" and not pending:
        return None  # running now, or left `running` by a crash its own recovery finishes
    return Failed(row["item_id"], row["item_key"], row["code"] or "-", system,
                  datetime.fromisoformat(ended.get("at") or row["updated_at"]), item.retried,
                  pending, assigned=bool(row.get("assignee")))


async def _unended(wid: str) -> bool:
    return await _status(wid) in UNENDED


async def _status(wid: str) -> str | None:
    status = await DBOS.get_workflow_status_async(wid)
    return status.status if status is not None else None


class Retrying:
    """This run's automatic retries: those due start after the new items; credentials
    refusals but one are held until an item of this run is done (``probe_first``)."""

    def __init__(self, queue: Queue, recipe: Recipe, host: Host) -> None:
        self.queue, self.recipe, self.host = queue, recipe, host
        self.choice = Choice()
        self.now: list[Failed] = []  # started after the new items
        self.held: list[Failed] = []  # started once an item of this run is done

    async def survey(self) -> Choice:
        self.choice = await survey(self.recipe, self.host)
        self.now, self.held = probe_first(self.choice.due)
        choice = self.choice
        if choice.due or choice.waiting or choice.exhausted:  # say what heals, and what waits
            structlog.get_logger().info(
                "run.auto_retries", due=len(choice.due), held=len(self.held),
                waiting=len(choice.waiting), left_for_a_person=len(choice.exhausted))
        return choice

    @property
    def keys(self) -> set[str]:
        """The item keys retried under workflows of their own (not enqueued as new items)."""
        return {failed.item_key for failed in self.choice.due}

    async def start(self) -> list[Queued]:
        return await start(self.queue, self.recipe, self.now, self.host)

    def unstarted(self, inbox: set[str]) -> list[tuple[str, Outcome]]:
        """The held retries of inbox items that never started, as their ends stand: an
        inbox item is always in the tally, retried or not."""
        book = self.host.book
        if not isinstance(book, LedgerBook):
            return []  # a dry run holds nothing
        rows = [book.ledger.item(failed.item_id) for failed in self.held
                if failed.item_key in inbox]
        return [(row["name"], Outcome.broken(row["code"] or "-", row["message"] or "",
                                             step=row["step"])) for row in rows if row]

    async def proven(self) -> list[Queued]:
        """An item of this run is done: the sign-on works, the held retries start."""
        held, self.held = self.held, []
        return await start(self.queue, self.recipe, held, self.host)


async def start(queue: Queue, recipe: Recipe, due: list[Failed], host: Host) -> list[Queued]:
    """Put each due retry on the recipe's queue (its concurrency and rate limit hold)."""
    return [await _start_one(queue, recipe, failed, host) for failed in due]


async def _start_one(queue: Queue, recipe: Recipe, failed: Failed, host: Host) -> Queued:
    assert isinstance(host.book, LedgerBook)
    ledger = host.book.ledger
    row = ledger.item(failed.item_id)
    assert row is not None
    resume, data = resume_plan(recipe, row), work_item_data(row)
    wid = auto_workflow_id(failed.item_id, failed.attempt)
    host.completions.expect(wid)  # before enqueueing: a fast item may end at once
    with SetWorkflowID(wid):
        handle = await queue.enqueue_async(auto_retry_workflow, recipe.name, data, resume)
    if not failed.pending:  # written after the enqueue: a crash between retries the same id
        _audit(ledger, failed, recipe, host.run_id, resume["from_step"])
        ledger.update_item(failed.item_id, **stamp_of(recipe).columns())  # the version it runs
    elif await _status(wid) == "CANCELLED":  # stopped by an older version: its limits too
        handle = await DBOS.resume_workflow_async(wid, queue_name=queue.name)
    structlog.get_logger().info(
        "item.auto_retry", item_id=failed.item_id, item_key=failed.item_key, item=row["name"],
        attempt=failed.attempt, times=recipe.model.settings.retry_failed.times,
        code=failed.code, from_step=resume["from_step"], resumed=failed.pending)
    return Queued(wid, WorkItem.from_data(data), handle, earlier=False, auto_retry=failed.attempt)


@DBOS.workflow(name="bots.auto_retry")
async def auto_retry_workflow(recipe_name: str, item_data: dict[str, Any],
                              resume: dict[str, Any]) -> dict[str, Any]:
    """An automatic retry: the item's run, unless a person settled the item (resolved by hand,
    rejected, or retried to done) while the retry waited its turn on the queue."""
    host, wid = await ready_host(), DBOS.workflow_id or ""
    async with host.slot():  # its turn: only then is the person's word read
        settled = await DBOS.run_step_async({"name": "bots.settled_since"}, _settled_since,
                                            host, resume["item_id"])
        if settled is None:
            run = ItemRun(host, host.recipe(recipe_name), WorkItem.from_data(item_data), wid,
                          resume)
            return (await run.run()).as_data()
    structlog.get_logger().info("item.auto_retry_skipped", item_id=resume["item_id"],
                                status=settled["status"], code=settled["code"])
    host.completions.settle(wid, Outcome.from_data(settled))
    return settled


def _settled_since(host: Host, item_id: str) -> dict[str, Any] | None:
    """The item's outcome as it stands when a person settled it since; None while it is open."""
    if not isinstance(host.book, LedgerBook):
        return None
    row = host.book.ledger.item(item_id)
    if row is None or (row["status"] != "done" and row["review_state"] == OPEN):
        return None
    ended = Outcome.broken(row["code"] or "-", row["message"] or "", step=row["step"])
    return as_it_stands(row, ended).as_data()


def _audit(ledger: Ledger, failed: Failed, recipe: Recipe, run_id: str,
           from_step: str | None) -> None:
    """The retry in the item's audit trail, once: another worker that chose the same retry at
    the same moment enqueued the same workflow id (one run) and must not count it twice."""
    if any(entry["who"] == AUTO and json.loads(entry["after_json"] or "{}").get("attempt")
           == failed.attempt for entry in ledger.audit_trail(failed.item_id)):
        return
    policy = recipe.model.settings.retry_failed
    ledger.add_audit(failed.item_id, AUTO, "retry", before={"code": failed.code},
                     after={"attempt": failed.attempt, "of": policy.times, "run_id": run_id},
                     note=note(failed, policy, run_id, from_step))
