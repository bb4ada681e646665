"""Resources: what a step family opens for the steps that need it (a browser page, a mailbox).

A family declares a ``ResourceType`` once; a step type names it in ``needs=("web",)``. The
engine knows resources only through this contract: it starts the type for a recipe when a step
first needs it, opens one resource per item (scope ``item``) or one for the whole batch (scope
``batch``), asks it for evidence when a step that used it fails, resets it before a retry, and
releases it when the item ends. The recipe's top-level section named after the type (``web:``)
is validated by the type's ``settings`` model, with ``${env.X}`` resolved before the run starts.

A provider whose resources hold state a batch sets up once (a page on which ``before_items``
pressed Start) may also offer ``set_up_with(replay)`` (``SetsUp``): the engine gives it, after
the batch's setup ran on the first resource, a replay to run on every further one it opens.
A provider that is slow to start (a browser) may offer ``warm()`` (``Warms``): the engine calls
it as a run begins, so the start overlaps the run's own preparations (reading the inbox).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel

Scope = Literal["item", "batch"]


class Resource(Protocol):
    """One open resource, as the steps that need it and the engine see it."""

    async def evidence(self, folder: Path, label: str) -> dict[str, Any]:
        """Save what shows the resource's state (a screenshot, a page); paths by kind."""
        ...

    async def reset(self) -> None:
        """Forget the state a failed attempt left, so the next attempt starts fresh."""
        ...

    async def release(self, *, ended_done: bool) -> None:
        """The item is over: keep what may serve the next item when it ended done, else close."""
        ...


class Provider(Protocol):
    """A resource type started for one recipe in one process: it opens resources, then stops."""

    async def open(self) -> Resource:
        """A new resource (cheap: the real work may wait for the first use)."""
        ...

    async def stop(self) -> None:
        """Close everything this provider opened; safe to call twice."""
        ...


Replay = Callable[[Any], Awaitable[None]]  # the batch's setup, run again on a new resource


@runtime_checkable
class SetsUp(Protocol):
    """A provider that can make each new resource like the batch's first one."""

    def set_up_with(self, replay: Replay) -> None:
        """Run `replay` on every resource opened from now on (before its first use)."""
        ...


@runtime_checkable
class Warms(Protocol):
    """A provider whose start is slow (a browser to launch) and can begin ahead of first use."""

    def warm(self) -> None:
        """Begin starting in the background now; the first ``open`` waits for it to finish."""
        ...


@dataclass(frozen=True)
class ResourceType:
    """A family's resource: its name, its recipe section, how to start it and its scope."""

    name: str
    start: Callable[[Any], Provider]  # given the validated section (or None), no I/O yet
    settings: type[BaseModel] | None = None  # validates the recipe's section `<name>:`
    scope: Scope = "item"
    preflight: Callable[[Any], None] | None = None  # raises BotError when it cannot work here
    summary: str = ""

    @property
    def needs_section(self) -> bool:
        """Whether a recipe whose steps need this resource must have its section."""
        if self.settings is None:
            return False
        return any(field.is_required() for field in self.settings.model_fields.values())
