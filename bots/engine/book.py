"""The record a run keeps: the ledger in a real run; in a dry run, only its report.

A run picks its book once (``open_book``) and the engine writes through it the same way either
way: no dry-run branches through the engine. The book also holds the run's side-effect path:
guarded by intents in a real run, rehearsed (stopped before the submit) in a dry run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa

from bots.engine.guard import Guarded, Rehearsal
from bots.engine.leases import Lease
from bots.engine.recipe_of import note_resumed, stamp_of
from bots.engine.reports import write_reports
from bots.engine.steprun import SideEffects
from bots.engine.summary import Tally
from bots.kernel import Outcome, WorkItem
from bots.ledger import Ledger, now
from bots.ledger.actions import RESOLVED
from bots.recipe import Recipe
from bots.secrets import redact_data
from bots.sla import due_at, raise_alerts, report, run_counts

UNFINISHED = ("queued", "running")


class Book(Protocol):
    """Where a run writes what happens to its items."""

    side_effects: SideEffects

    def claim(self, item_id: str, owner: Lease, run_id: str | None = None) -> None:
        """Make `owner` the item's only worker (ItemBusy while a live other one has it);
        with `run_id`, the item is marked running in that run in the same write."""
        ...

    def queued(self, item_id: str, recipe: Recipe, item: WorkItem, run_id: str) -> None: ...

    def together(self, writes: Callable[[], None]) -> None:
        """Run `writes` (calls of this book) as one write where the record allows it."""
        ...

    def started(self, item_id: str, run_id: str) -> None: ...
    def progressed(self, item_id: str, outputs: dict[str, Any]) -> None: ...
    def step_finished(self, item_id: str, step_id: str, event: dict[str, Any]) -> None:
        """Keep a step's `step.finished` event; written with the item's next values or end."""
        ...

    def finished(self, item_id: str, outcome: Outcome) -> None: ...

    def settled_earlier(self, item_id: str, outcome: Outcome) -> Outcome:
        """An item that ended in an earlier run: record its end if the record missed it; the
        outcome as the item stands now (retried, resolved or rejected by a person since)."""
        ...

    def run_started(self, run_id: str, recipe: Recipe) -> None: ...

    def run_finished(self, run_id: str, recipe: Recipe, tally: Tally) -> dict[str, Any]:
        """After the items: reports and service goals; extra summary fields."""
        ...

    def close_run(self, run_id: str, summary: dict[str, Any]) -> None: ...


class LedgerBook:
    """A real run: every item's progress, end and events in the ledger."""

    def __init__(self, ledger: Ledger, state_dir: Path = Path("state")) -> None:
        self.ledger, self.state_dir = ledger, state_dir  # reports go under the state folder
        self.guard = Guarded(ledger)
        self.side_effects: SideEffects = self.guard
        self.unwritten: dict[str, list[dict[str, Any]]] = {}  # step events, by item id

    def claim(self, item_id: str, owner: Lease, run_id: str | None = None) -> None:
        running = {"status": "running", "run_id": run_id} if run_id else {}
        self.guard.fences[item_id] = self.ledger.claim_item(item_id, owner.executor,
                                                            owner.is_held, **running)

    def queued(self, item_id: str, recipe: Recipe, item: WorkItem, run_id: str) -> None:
        new = self.ledger.item_queued(item_id, recipe.name, item, run_id, stamp_of(recipe))
        if not new:  # queued before: a stopped run's item may meet an edited recipe
            note_resumed(self.ledger, item_id, recipe)
        goal = recipe.model.service_goal
        if new and goal:
            self.ledger.update_item(item_id, due_at=due_at(goal, item.arrived_at or now()))

    def started(self, item_id: str, run_id: str) -> None:
        self.ledger.update_item(item_id, status="running", run_id=run_id)

    def together(self, writes: Callable[[], None]) -> None:
        try:
            self.ledger.together(writes)
        except sa.exc.DBAPIError:  # another worker's row came first (PostgreSQL then refuses
            writes()  # the rest of the transaction): one write each, as they allow for that

    def progressed(self, item_id: str, outputs: dict[str, Any]) -> None:
        self._write(item_id, lambda: self.ledger.record_values(item_id, outputs))

    def step_finished(self, item_id: str, step_id: str, event: dict[str, Any]) -> None:
        # the step's checkpoint comes next, then the item's values or its end: the event goes
        # with those, in one commit (each commit waits for the disk)
        self.unwritten.setdefault(item_id, []).append({"step_id": step_id, **event})

    def finished(self, item_id: str, outcome: Outcome) -> None:
        fence = self.guard.fences.pop(item_id, None)

        def ended() -> None:
            self._record(item_id, outcome)
            if fence:
                self.ledger.release_item(item_id, fence)

        self._write(item_id, ended)

    def _write(self, item_id: str, writes: Callable[[], None]) -> None:
        """The item's kept step events, then `writes`, in one transaction."""
        kept = self.unwritten.pop(item_id, [])

        def together() -> None:
            for event in kept:
                self.ledger.add_event(item_id, "step.finished", **event)
            writes()

        self.ledger.together(together)

    def settled_earlier(self, item_id: str, outcome: Outcome) -> Outcome:
        known = self.ledger.item(item_id)
        if known is None or known["status"] in UNFINISHED:
            if known is not None:
                self._record(item_id, outcome)
            return outcome
        return as_it_stands(known, outcome)

    def _record(self, item_id: str, outcome: Outcome) -> None:
        """The item's end, and an `item.ended` event with its kind (a later run's automatic
        retries take system failures only; the ledger's row keeps the code, not the kind)."""
        self.ledger.record_outcome(item_id, outcome)
        self.ledger.add_event(item_id, "item.ended", status=outcome.status, code=outcome.code,
                              kind=outcome.kind)

    def run_started(self, run_id: str, recipe: Recipe) -> None:
        self.ledger.start_run(run_id, recipe.name)

    def run_finished(self, run_id: str, recipe: Recipe, tally: Tally) -> dict[str, Any]:
        write_reports(recipe, run_id, self.ledger, tally.batch_outputs(), self.state_dir)
        extra: dict[str, Any] = {}
        if recipe.model.service_goal:
            extra["sla"] = self._service_goal(recipe)
        return extra

    def close_run(self, run_id: str, summary: dict[str, Any]) -> None:
        self.ledger.finish_run(run_id, int(summary["exit_code"]), summary)

    def _service_goal(self, recipe: Recipe) -> dict[str, int]:
        """Alert on items that became at risk or breached; open items counted by state."""
        goal, at = recipe.model.service_goal, datetime.now(UTC)
        assert goal is not None
        goals = {recipe.name: goal}
        raise_alerts(self.ledger, report(self.ledger, recipe.name, goals, at), goals, at)
        return run_counts(self.ledger, recipe.name, goal, at)


class DryRunBook:
    """A dry run: nothing in the ledger; what each item would have keyed, in a report."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.side_effects: SideEffects = Rehearsal()

    def claim(self, item_id: str, owner: Lease, run_id: str | None = None) -> None:
        return None  # a dry run changes nothing: any number may rehearse an item

    def queued(self, item_id: str, recipe: Recipe, item: WorkItem, run_id: str) -> None:
        return None

    def started(self, item_id: str, run_id: str) -> None:
        return None

    def together(self, writes: Callable[[], None]) -> None:
        writes()

    def progressed(self, item_id: str, outputs: dict[str, Any]) -> None:
        return None

    def step_finished(self, item_id: str, step_id: str, event: dict[str, Any]) -> None:
        return None

    def finished(self, item_id: str, outcome: Outcome) -> None:
        return None

    def settled_earlier(self, item_id: str, outcome: Outcome) -> Outcome:
        return outcome

    def run_started(self, run_id: str, recipe: Recipe) -> None:
        return None

    def run_finished(self, run_id: str, recipe: Recipe, tally: Tally) -> dict[str, Any]:
        """What the run would have keyed, per item, as JSON beside the logs."""
        path = self.state_dir / "dry-runs" / f"{recipe.name}-{run_id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(redact_data(tally.would_submit()), indent=2, default=str))
        return {"dry_run": True, "dry_run_report": str(path)}

    def close_run(self, run_id: str, summary: dict[str, Any]) -> None:
        return None


def as_it_stands(row: dict[str, Any], ended: Outcome) -> Outcome:
    """An earlier item's outcome as the ledger has it now: done after a retry, resolved by a
    person (done, with the reference keyed by hand), rejected, or still open (its latest code).
    A run's summary and terminal then show the batch as it is, not what it once was."""
    if row["status"] == "done":
        return ended if ended.is_done else Outcome.done(
            ended.outputs, {"retry": row["reference"]} if row["reference"] else {}, {})
    if row["review_state"] == RESOLVED:
        resolved = Outcome.done(ended.outputs, {"by hand": row["reference"] or "?"}, {})
        return replace(resolved, details={"review_state": RESOLVED})
    return replace(ended, code=row["code"] or ended.code, message=row["message"] or "",
                   details={**ended.details, "review_state": row["review_state"]})


def open_book(dry_run: bool, ledger: Ledger, state_dir: Path) -> Book:
    """The run's book: the ledger, or a dry run's report."""
    return DryRunBook(state_dir) if dry_run else LedgerBook(ledger, state_dir)
