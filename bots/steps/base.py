"""The contract between a step module and the engine.

A step module (``bots/steps/<ns>/<verb>_<noun>.py``) declares its parameters once, as a
``StepParams`` model that rejects unknown keys, and one function that does the work:

    class Params(StepParams):
        path: str = Field(description="The PDF to read.")

    @step("pdf.extract_fields", Params, example=EXAMPLE)
    def extract_fields(params: Params, ctx: StepContext) -> dict[str, Any]:
        "Extract a document's fields by labels and regions, with provenance."
        ...

The function may be sync (the engine runs it in a worker thread) or async (it runs on the
engine's event loop; every web step is async). It returns plain JSON-able data: a dict whose
keys later steps reference as ``${<step id>.<key>}``. A key ``_provenance`` (field name ->
{page, box, text, rule}) is recorded in the ledger beside the values.

A step never retries, never logs boilerplate and never touches the queue: it raises
``TransientError`` (retried by the engine), ``BusinessError`` or ``ApplicationError`` with a
code from ``bots.errors.CODES``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict


class StepParams(BaseModel):
    """Base for every step's parameters: unknown keys are an error."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class WorkItem:
    """One unit of work: a file from an inbox or a row group from a sheet."""

    key: str  # stable: content hash or business reference
    name: str  # what a person calls it (the file name)
    path: str = ""  # the source file, when there is one
    arrived_at: str = ""  # ISO timestamp (file mtime or first seen)
    data: dict[str, Any] = field(default_factory=dict)  # row values for sheet sources

    @property
    def ref(self) -> str:
        """A short external reference the bot types into target systems (to find it later)."""
        return "BOT-" + self.key[:10].upper()

    def as_refs(self) -> dict[str, Any]:
        """The values a recipe can reference as ``${item.<name>}``."""
        return {"key": self.key, "name": self.name, "path": self.path,
                "arrived_at": self.arrived_at, "ref": self.ref, **self.data}


class WebSession(Protocol):
    """What a web step gets from ``ctx.web`` (implemented in ``bots/web/session.py``)."""

    async def page(self) -> Any:
        """The item's Playwright page, logged in to the target system."""
        ...

    def url(self, path: str) -> str:
        """An absolute URL for a path relative to the recipe's ``web.base_url``."""
        ...


@dataclass
class StepContext:
    """Everything a step may know about the world besides its parameters."""

    run_id: str
    item: WorkItem
    step_id: str
    attempt: int = 1
    dry_run: bool = False
    evidence_dir: Path = Path("state/evidence")
    web: WebSession | None = None
    items: list[dict[str, Any]] = field(default_factory=list)  # report steps: every item


StepFunction = Callable[[Any, StepContext], Any]


@dataclass(frozen=True)
class StepType:
    """A declared step type: its name, parameters, purpose and function."""

    name: str
    params: type[StepParams]
    function: StepFunction
    side_effect: bool = False  # changes another system: guarded by intent/check
    example: str = ""  # a YAML snippet for the reference docs

    @property
    def summary(self) -> str:
        """The function docstring's first line: what the step is for."""
        doc = inspect.getdoc(self.function) or ""
        return doc.splitlines()[0] if doc else ""

    @property
    def is_async(self) -> bool:
        return inspect.iscoroutinefunction(self.function)


def step(name: str, params: type[StepParams], *, side_effect: bool = False,
         example: str = "") -> Callable[[StepFunction], StepType]:
    """Declare a step type; the module-level result is found by the registry."""

    def declare(function: StepFunction) -> StepType:
        return StepType(name, params, function, side_effect, example)

    return declare
