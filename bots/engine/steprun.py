"""One item while it runs, and one of its steps: what a step call reads, opens and is given.

``ItemState`` is what the steps of one item share (its outputs so far, its open resources, the
recipe's outage gate); ``StepRun`` is one step of it, able to call the step's function and its
``check`` once. The retries around them are in ``stepper``; what happens around a side effect
is ``SideEffects``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bots.engine.attempts import Sleep, call_step
from bots.engine.outage import OutageGate, OutageWait
from bots.engine.resources import ItemResources
from bots.kernel import ApplicationError, StepContext, StepType, WorkItem
from bots.recipe import Recipe, Step
from bots.recipe.model import RetryPolicy
from bots.secrets import EnvScope


@dataclass
class ItemState:
    """One item while its steps run."""

    recipe: Recipe
    item: WorkItem
    item_id: str
    run_id: str
    outputs: dict[str, Any]
    resources: ItemResources
    evidence_dir: Path
    side_effects: SideEffects
    sleep: Sleep
    outage: OutageGate | None = None  # the recipe's, shared by its items; None: never wait
    state_dir: Path = Path("state")
    heal: bool = True
    overrides: frozenset[str] = frozenset()  # codes a person approved the item past

    @property
    def dry_run(self) -> bool:
        return self.side_effects.dry_run

    def scope(self) -> dict[str, Any]:
        """What references can name for this item: item, env, the batch steps' outputs
        (``${batch.<id>.<field>}``) and earlier steps' outputs."""
        return {"item": self.item.as_refs(), "env": EnvScope(self.recipe.model.secrets),
                "batch": self.resources.batch, **self.outputs}

    async def context(self, step_type: StepType, step_id: str, attempt: int) -> StepContext:
        """A step's context, with the resources its type needs opened."""
        return StepContext(run_id=self.run_id, item=self.item, step_id=step_id,
                           attempt=attempt, dry_run=self.dry_run,
                           evidence_dir=self.evidence_dir,
                           resources=await self.resources.for_step(step_type),
                           limits=self.recipe.model.settings.limits,
                           recipe=self.recipe.name, state_dir=self.state_dir, heal=self.heal,
                           overrides=self.overrides)


@dataclass
class StepRun:
    """One recipe step of one item."""

    item: ItemState
    step: Step

    @property
    def timeout_s(self) -> float:
        return self.step.spec.timeout_s or self.item.recipe.model.settings.step_timeout_s

    @property
    def policy(self) -> RetryPolicy:
        return self.step.spec.retry or self.item.recipe.model.settings.retry

    @property
    def outage(self) -> OutageWait | None:
        """This step of this item as a member of its recipe's outage, if the run has one."""
        gate = self.item.outage
        return OutageWait(gate, self.item.item_id, self.step.id) if gate else None

    async def context(self, attempt: int) -> StepContext:
        ctx = await self.item.context(self.step.type, self.step.id, attempt)
        if self.step.type.side_effect and self.step.spec.check is None:
            ctx.heal = False  # a side effect heals only when a check can prove it afterwards
        return ctx

    async def call(self, ctx: StepContext) -> Any:
        """The step's function, once, with its parameters resolved for this item."""
        return await call_step(self.step.type, self.step.spec.with_, self.item.scope(), ctx,
                               self.timeout_s)

    async def check(self, attempt: int) -> Any:
        """The step's `check`, once: whether its side effect already happened."""
        spec, check_type = self.step.spec.check, self.step.check_type
        if spec is None or check_type is None:
            raise ApplicationError(
                f"step '{self.step.id}' may already have taken effect (an earlier attempt was "
                "interrupted) and the recipe gives no check to tell", code="POSSIBLE_DUPLICATE")
        ctx = await self.item.context(check_type, self.step.id, attempt)
        return await call_step(check_type, spec.with_, self.item.scope(), ctx, self.timeout_s)


class SideEffects(Protocol):
    """What happens around a step that changes another system (a real run, or a dry run)."""

    dry_run: bool

    async def run(self, step: StepRun, ctx: StepContext) -> Any:
        """Call a side-effect step once, guarded."""
        ...

    async def after_last_attempt(self, step: StepRun, exhausted: ApplicationError,
                                 attempts: int) -> Any:
        """Its retries ran out: the output if it took effect after all, else raise `exhausted`."""
        ...
