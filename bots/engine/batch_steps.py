"""The once-per-batch steps: ``before_items`` before the first item, ``after_items`` after.

They run through the same step machinery as an item's steps (``execute_step``: retries,
timeouts, evidence on failure, one ``step.finished`` event each, with ``phase`` bound), but
outside any item workflow: they are not durable and run again on the next run (a Start button
is pressed again, a final message read again), which is why side-effect steps are refused there.

- ``before_items`` run before any item may start (the items are held back until then, the
  recovered ones of an earlier run included). Their outputs are ``${batch.<id>.<field>}`` for
  the items, the after_items and the report steps. A failure stops the run before anything is
  enqueued: exit 75 when the target looked down (retries exhausted, server errors, timeouts, a
  crashed browser), otherwise 2 (the recipe does not match the screen, a wrong value, a refused
  sign-on): retrying later cannot help.
- Their web steps are the batch's page setup: with ``web.session: batch`` every page opened
  later (concurrency above 1, a replaced crashed page) gets them replayed (``replay``).
- ``after_items`` run after the items ended, also when some failed or the run stopped early
  (breaker, SIGTERM, lost lease), as long as their resources can still work. A failure is kept
  in the summary (``batch.failed``) and makes the exit code at least 1.
- A run with no item to work (every one ended in an earlier run, and no retry of an earlier
  failure due) runs neither: pressing Start and reading a final message would be for nothing
  (the summary says ``skipped``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from dbos import DBOS
from structlog.contextvars import bound_contextvars

from bots.engine.attempts import Stopwatch
from bots.engine.breaker import CREDENTIAL_CODES
from bots.engine.enqueue import ENDED
from bots.engine.host import Host
from bots.engine.resources import ItemResources, ResourcePool
from bots.engine.stepper import execute_step
from bots.engine.steprun import ItemState, StepRun
from bots.engine.summary import EXIT_APPLICATION, EXIT_CREDENTIALS, EXIT_RECIPE, EXIT_TEMPFAIL
from bots.engine.workflow import workflow_id
from bots.kernel import ItemError, Resource, WorkItem
from bots.recipe import Recipe, Step
from bots.secrets import redact_data

DOWN_CODES = frozenset({"RETRIES_EXHAUSTED", "SERVER_ERROR", "TIMEOUT", "BROWSER_ERROR"})


class BatchSteps:
    """One batch's before_items and after_items in this process, and what they returned."""

    def __init__(self, recipe: Recipe, host: Host) -> None:
        self.recipe, self.host = recipe, host
        self.pool: ResourcePool = host.resources(recipe)
        self.before: dict[str, Any] = {}
        self.after: dict[str, Any] = {}
        self.failed: dict[str, Any] | None = None  # {phase, step, code, message}
        self.skipped = ""  # why the batch steps did not run at all

    def hold_items(self) -> None:
        """Items (recovered ones included) wait for before_items; call before DBOS starts."""
        if self.recipe.before_items:
            self.pool.hold_items()

    async def run_before(self, items: list[WorkItem] | None = None, *, dry_run: bool = False,
                         retries_due: Callable[[], Awaitable[bool]] | None = None) -> bool:
        """Run before_items; whether the items may start (else `failed` says why).

        `items`: the batch's, to skip the batch steps when none is left to work and no retry
        of an earlier failure is due (`retries_due`, asked only then); None runs them
        regardless (a resubmit of one item in a recipe whose items need the setup).
        """
        if items is not None and self._has_steps and not await self._any_to_run(
                items, dry_run, retries_due):
            self.skipped = "no item to run: every one ended in an earlier run"
        elif not await self._phase("before_items", self.recipe.before_items, self.before):
            return False
        for name in {name for step in self.recipe.before_items for name in step.type.needs}:
            self.pool.set_up_with(name, self._replay_for(name))
        self.pool.release_items()
        return True

    async def run_after(self, limit_s: float | None = None) -> None:
        """Run after_items, within `limit_s` if given (a failure is kept in `failed`)."""
        if not self.recipe.after_items or self.skipped:
            return
        try:
            async with asyncio.timeout(limit_s):
                await self._phase("after_items", self.recipe.after_items, self.after)
        except TimeoutError:
            self.failed = {"phase": "after_items", "step": self._unfinished(), "code": "TIMEOUT",
                           "message": f"after_items did not finish within {limit_s:g} s of "
                                      "the run's early stop"}

    def _unfinished(self) -> str:
        return next((step.id for step in self.recipe.after_items if step.id not in self.after),
                    "?")

    @property
    def exit_code(self) -> int | None:
        """The exit code the batch steps call for, if any (see the module doc)."""
        if self.failed is None:
            return None
        if self.failed["phase"] == "after_items":
            return EXIT_APPLICATION
        if self.failed["code"] in CREDENTIAL_CODES:
            return EXIT_CREDENTIALS
        return EXIT_TEMPFAIL if self.failed["code"] in DOWN_CODES else EXIT_RECIPE

    def summary(self) -> dict[str, Any]:
        """The summary's ``batch`` section: {before: {step: output}, after: {...}, failed?}."""
        section: dict[str, Any] = {"before": _shown(self.before), "after": _shown(self.after)}
        if self.failed is not None:
            section["failed"] = self.failed
        if self.skipped:
            section["skipped"] = self.skipped
        return dict(redact_data(section))  # read off screens: no password reaches stdout

    @property
    def _has_steps(self) -> bool:
        return bool(self.recipe.before_items or self.recipe.after_items)

    async def _any_to_run(self, items: list[WorkItem], dry_run: bool,
                          retries_due: Callable[[], Awaitable[bool]] | None) -> bool:
        """Whether some item has not ended yet (asked item by item, up to the first one), or
        a retry of an earlier failure is due."""
        run_id = self.host.run_id if dry_run else None
        for item in items:
            wid = workflow_id(self.recipe.name, item.key, dry_run_id=run_id)
            status = await DBOS.get_workflow_status_async(wid)
            if status is None or status.status not in ENDED:
                return True
        return retries_due is not None and await retries_due()

    async def _phase(self, phase: str, steps: list[Step], outputs: dict[str, Any]) -> bool:
        resources = self.pool.for_batch()
        state = self._state(phase, resources, outputs)
        try:
            for step in steps:
                try:
                    outputs[step.id] = await self._step(state, step, phase)
                except ItemError as error:
                    self.failed = {"phase": phase, "step": step.id, "code": error.code,
                                   "message": error.message}
                    return False
                self.pool.batch[step.id] = outputs[step.id]
            return True
        finally:
            await resources.release(ended_done=self.failed is None)

    def _replay_for(self, name: str) -> Any:
        """The page setup of resource type `name`: its before_items steps, on a new resource."""
        steps = [step for step in self.recipe.before_items if name in step.type.needs]

        async def replay(resource: Resource) -> None:
            state = self._state("page_setup", self.pool.for_batch({name: resource}),
                                dict(self.before))
            for step in steps:
                await self._step(state, step, "page_setup")

        return replay

    def _state(self, phase: str, resources: ItemResources, outputs: dict[str, Any]) -> ItemState:
        host = self.host
        item_id = f"{self.recipe.name}/{phase}-{host.run_id}"
        return ItemState(self.recipe, WorkItem(key=f"{phase}-{host.run_id}", name=phase),
                         item_id, host.run_id, outputs, resources, host.evidence_dir(item_id),
                         host.book.side_effects, host.sleep, None, host.state_dir, host.heal)

    @staticmethod
    async def _step(state: ItemState, step: Step, phase: str) -> Any:
        """One batch step with its retries; its output, or the ItemError it ended with."""
        with bound_contextvars(step_id=step.id, phase=phase):
            clock, log = Stopwatch(), structlog.get_logger()
            try:
                output, attempts = await execute_step(StepRun(state, step))
            except ItemError as error:
                log.info("step.finished", outcome="exception", duration_s=clock.seconds,
                         attempts=int(error.details.get("attempts", 1)), code=error.code,
                         error=error.message)
                raise
            log.info("step.finished", outcome="ok", duration_s=clock.seconds, attempts=attempts)
            return output


def _shown(outputs: dict[str, Any]) -> dict[str, Any]:
    """Step outputs without their bookkeeping keys (``_provenance`` ...)."""
    return {step: {key: value for key, value in output.items() if not key.startswith("_")}
            if isinstance(output, dict) else output for step, output in outputs.items()}
