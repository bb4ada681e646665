"""The contract between a step module and the engine.

A step module (``bots/steps/<ns>/<verb>_<noun>.py``, or a module of an installed package named
in the ``bots.steps`` entry-point group) declares its parameters once, as a ``StepParams`` model
that rejects unknown keys, and one function that does the work:

    class Params(StepParams):
        path: str = Field(description="The PDF to read.")

    @step("pdf.extract_fields", Params, example=EXAMPLE)
    def extract_fields(params: Params, ctx: StepContext) -> dict[str, Any]:
        "Extract a document's fields by labels and regions, with provenance."
        ...

The function may be sync (the engine runs it in a worker thread) or async (it runs on the
engine's event loop; every web step is async). It returns plain JSON-able data: a dict whose
keys later steps reference as ``${<step id>.<key>}``. A key ``_provenance`` (field name ->
{page, box, text, rule}) is recorded in the ledger beside the values. The keys are declared
with ``outputs=`` (``bots.kernel.outputs``), so a recipe naming a key the step never returns is
refused when it loads, not found out item by item.

A step that works through a resource names it (``needs=("web",)``) and finds it open in
``ctx.resources``. A step never retries, never logs boilerplate and never touches the queue: it
raises ``TransientError`` (retried by the engine), ``BusinessError`` or ``ApplicationError``
with a code from ``bots.kernel.errors.CODES``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from bots.kernel.errors import ApplicationError
from bots.kernel.items import WorkItem
from bots.kernel.outputs import Outputs, OutputsOf, declared
from bots.kernel.resources import Resource


class StepParams(BaseModel):
    """Base for every step's parameters: unknown keys are an error."""

    model_config = ConfigDict(extra="forbid")


@dataclass
class StepContext:
    """Everything a step may know about the world besides its parameters."""

    run_id: str
    item: WorkItem
    step_id: str
    attempt: int = 1
    dry_run: bool = False
    evidence_dir: Path = Path("state/evidence")
    resources: Mapping[str, Resource] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)  # report steps: every item
    limits: Any = None  # the recipe's settings.limits (what one input may cost); None: defaults
    recipe: str = ""  # the recipe's name (what a step remembers is kept per recipe and step)
    state_dir: Path = Path("state")  # the run's state folder (fingerprints, proposals)
    heal: bool = True  # whether a control the screen lost may be re-found (``--no-heal``)
    on_submit: Callable[[], None] | None = None  # set by the engine around a side effect
    overrides: frozenset[str] = frozenset()  # codes a person approved this item past

    def submitting(self) -> None:
        """Say that the side effect starts now (the click that submits).

        A side-effect step declared with ``marks_submit=True`` calls this right before the
        action that changes the other system; a failure before it provably changed nothing,
        so the engine withdraws the intent instead of suspecting a duplicate.
        """
        if self.on_submit is not None:
            self.on_submit()

    def resource(self, name: str) -> Resource:
        """The open resource the step declared in `needs`; a clear error when it is not open."""
        if name not in self.resources:
            raise ApplicationError(f"step '{self.step_id}' needs the '{name}' resource, which is "
                                   f"not open: declare needs=('{name}',) on its step type",
                                   code="STEP_FAILED")
        return self.resources[name]


StepFunction = Callable[[Any, StepContext], Any]
Finding = tuple[tuple[str | int, ...], str, str]  # (where under `with:`, what is wrong, what to do)
Preflight = Callable[[Mapping[str, Any]], list[Finding]]  # `with:` as written -> findings


@dataclass(frozen=True)
class StepType:
    """A declared step type: its name, parameters, purpose, function and what it needs."""

    name: str
    params: type[StepParams]
    function: StepFunction
    side_effect: bool = False  # changes another system: guarded by intent/check
    example: str = ""  # a YAML snippet for the reference docs
    needs: tuple[str, ...] = ()  # resource types the step works through, e.g. ("web",)
    marks_submit: bool = False  # calls ctx.submitting() right before its side effect
    outputs: OutputsOf | None = None  # `with:` values -> its output's fields; None: open
    preflight: Preflight | None = None  # what `check` looks at: files and columns it reads

    def outputs_for(self, values: Mapping[str, Any]) -> Outputs:
        """The fields this step's output has for these `with:` values (open: unknown)."""
        return declared(self.outputs, values)

    @property
    def summary(self) -> str:
        """The function docstring's first line: what the step is for."""
        doc = inspect.getdoc(self.function) or ""
        return doc.splitlines()[0] if doc else ""

    @property
    def is_async(self) -> bool:
        return inspect.iscoroutinefunction(self.function)


def step(name: str, params: type[StepParams], *, side_effect: bool = False, example: str = "",
         needs: tuple[str, ...] = (), marks_submit: bool = False,
         outputs: OutputsOf | None = None, preflight: Preflight | None = None
         ) -> Callable[[StepFunction], StepType]:
    """Declare a step type; the module-level result is found by the registry.

    `outputs` maps the step's `with:` values (as written) to the fields its output has, so
    `${<step id>.<field>}` is checked when the recipe loads; without it any field is accepted.
    `preflight` looks at what the step will read (a workbook's sheet and columns) for
    `runner.py check`, without running it.
    """

    def declare(function: StepFunction) -> StepType:
        return StepType(name, params, function, side_effect, example, tuple(needs),
                        marks_submit, outputs, preflight)

    return declare

