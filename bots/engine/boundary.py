"""The item boundary: one object runs one item, from its first step to its ``Outcome``.

It opens the resources its steps need (through the item's ``ItemResources``), runs each step
as a checkpointed DBOS step (a resumed item skips those already done), records what it found
on the way, and always ends with one ``Outcome``: done with the target's references, or an
exception with a code. A failure outside any step is an exception too (STEP_FAILED), never a
workflow that raises and leaves the item `running`. Before anything, it claims the item in the
database (one owner at a time, across processes); a run stopped mid-way (a stop signal, a
tripped breaker, a lost lease, a claim taken over) records nothing and stays pending. Run,
recipe and item ids are bound here, once, so every event of the item (the browser's and the
lease's included) carries them.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from dbos import DBOS
from structlog.contextvars import bound_contextvars

from bots.chaos import kill_point
from bots.engine.attempts import Stopwatch
from bots.engine.host import Host
from bots.engine.recipe_of import replayed_elsewhere
from bots.engine.stepper import execute_step
from bots.engine.steprun import ItemState, StepRun
from bots.kernel import ItemError, Outcome, WorkItem
from bots.kernel.outcome import BUSINESS
from bots.ledger.claims import ItemBusy
from bots.recipe import Recipe, Step

CLAIM_POLL_S = 2.0  # an item another live worker holds (an analyst's resubmit) is asked again


class ItemRun:
    """One item's run in this process."""

    def __init__(self, host: Host, recipe: Recipe, item: WorkItem, workflow_id: str,
                 resume: dict[str, Any]) -> None:
        self.host, self.recipe, self.workflow_id = host, recipe, workflow_id
        item_id = resume.get("item_id") or workflow_id
        self.kept = set(resume.get("outputs", {}))  # outputs from before a resubmit: not rerun
        self.state = ItemState(recipe, item, item_id, host.run_id, dict(resume.get("outputs", {})),
                               host.resources(recipe).for_item(), host.evidence_dir(item_id),
                               host.book.side_effects, host.sleep, host.outage(recipe),
                               host.state_dir, host.heal,
                               frozenset(resume.get("overrides") or ()))
        self.attempts: dict[str, int] = {}
        self.ran: set[str] = set()  # steps this process ran (the others replay checkpoints)
        self.current: str | None = None

    @property
    def item_id(self) -> str:
        return self.state.item_id

    async def run(self) -> Outcome:
        """Run the item's steps; its outcome, recorded (an exception is an outcome too)."""
        item = self.state.item
        with bound_contextvars(run_id=self.host.run_id, recipe=self.recipe.name,
                               item_id=self.item_id, item=item.name, item_key=item.key):
            task = asyncio.current_task()
            assert task is not None
            self.host.running.add(task)
            try:
                await self.state.resources.ready()  # held while before_items run
                await self._claim()  # and marked running in this run
                outcome = await self._ended()
                self.host.book.finished(self.item_id, outcome)
                log_item_end(outcome)
                kill_point("item.finished")
                self.host.completions.settle(self.workflow_id, outcome)
                return outcome
            finally:
                self.host.running.discard(task)

    async def _claim(self) -> None:
        """Claim the item before touching it; while another live worker works it, wait."""
        waiting = False
        while True:
            try:
                return self.host.book.claim(self.item_id, self.host.owner, self.host.run_id)
            except ItemBusy as busy:
                if not waiting:
                    structlog.get_logger().info("item.waiting_for_owner",
                                                owner=busy.details.get("owner"))
                waiting = True
                await asyncio.sleep(CLAIM_POLL_S)

    async def _ended(self) -> Outcome:
        try:
            outcome = await self._steps()
        except Exception as error:  # a failure outside any step: still an explained exception
            structlog.get_logger().exception("item.failed", step_id=self.current)
            outcome = Outcome.broken("STEP_FAILED", f"the item's run failed: "
                                     f"{type(error).__name__}: {error}", step=self.current)
        except BaseException:  # cancelled by a stop signal: the next run resumes the item
            await self._release(ended_done=False)
            raise
        await self._release(ended_done=outcome.is_done and not self.state.dry_run)
        return outcome

    async def _release(self, *, ended_done: bool) -> None:
        try:
            await self.state.resources.release(ended_done=ended_done)
        except Exception:  # closing a page must not turn a finished item into a failure
            structlog.get_logger().exception("item.release_failed")

    async def _steps(self) -> Outcome:
        data, outputs = self.state.item.data, self.state.outputs
        if data.get("source_error"):
            return Outcome.broken("SOURCE_ROW_INVALID", data["source_error"], kind=BUSINESS,
                                  step="source")
        provided = data.get("provides", {})
        for step in self.recipe.steps:
            if step.id in self.kept:
                continue  # kept from the earlier run, or corrected by an analyst
            self.current = step.id
            if step.id in provided:  # the source already carries this step's output
                outputs[step.id] = provided[step.id]
            else:
                result = await DBOS.run_step_async({"name": "bots.step"}, self._step, step)
                if result.get("step", step.id) != step.id:  # another step's checkpoint
                    return replayed_elsewhere(step.id, result["step"], outputs, self.attempts)
                self.attempts[step.id] = result.get("attempts", 1)  # older checkpoints: none
                if not result["ok"]:
                    return Outcome.failed(self._error_of(step, result), step.id, outputs,
                                          self.attempts)
                outputs[step.id] = result["output"]
            if step is not self.recipe.steps[-1]:  # the last one's values go with the end
                self.host.book.progressed(self.item_id, outputs)
        return Outcome.done(outputs, self._references(), self.attempts)

    def _error_of(self, step: Step, result: dict[str, Any]) -> dict[str, Any]:
        """A failed step's error; marked `replayed` when it comes from an earlier run's
        checkpoint (a recovered item), which says nothing about the target system now."""
        if step.id in self.ran:
            return dict(result["error"])
        error = dict(result["error"])
        error["details"] = {**(error.get("details") or {}), "replayed": True}
        return error

    async def _step(self, step: Step) -> dict[str, Any]:
        """One step with its retries, as DBOS checkpoints it: plain data, never an exception."""
        self.ran.add(step.id)  # run here and now, not replayed from a checkpoint
        with bound_contextvars(step_id=step.id):
            clock = Stopwatch()
            try:
                output, attempts = await execute_step(StepRun(self.state, step))
            except ItemError as error:
                attempts = int(error.details.get("attempts", 1))
                self._finished(step, "exception", clock, attempts, code=error.code,
                               error=error.message)
                return {"ok": False, "error": error.as_dict(), "attempts": attempts,
                        "step": step.id}
            self._finished(step, "ok", clock, attempts)
            return {"ok": True, "output": output, "attempts": attempts, "step": step.id}

    def _finished(self, step: Step, outcome: str, clock: Stopwatch, attempts: int,
                  **extra: Any) -> None:
        """The one `step.finished` event per step: in the run's log and beside the item."""
        event = {"outcome": outcome, "duration_s": clock.seconds, "attempts": attempts, **extra}
        structlog.get_logger().info("step.finished", **event)
        self.host.book.step_finished(self.item_id, step.id, event)

    def _references(self) -> dict[str, str]:
        """The target systems' references, from the steps that changed them, in order."""
        return {step.id: str(out["reference"]) for step in self.recipe.steps
                if step.type.side_effect
                and isinstance(out := self.state.outputs.get(step.id), dict)
                and out.get("reference")}


def log_item_end(outcome: Outcome) -> None:
    """One `item.finished` event per item, at the level a person should notice it: done at
    info, a business exception (a person's work) at warning, a system failure at error; with
    the reference keyed, or the code and the step that stopped it."""
    log = structlog.get_logger()
    if outcome.is_done:
        log.info("item.finished", status=outcome.status, reference=outcome.reference)
        return
    report = log.error if outcome.is_system_failure else log.warning
    report("item.finished", status=outcome.status, code=outcome.code, step=outcome.step,
           error=outcome.message)
