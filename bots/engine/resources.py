"""The resources a recipe's steps need, as the engine sees them: started, opened, released.

The engine names no family: it asks the registry for the resource types the recipe's steps
declare (``needs=``), validates their sections before any item runs (``preflight``), starts
each type once per process on first use, and opens resources per item (or once for the whole
batch, by the type's scope). An item's resources give evidence when a step that used them
fails, are reset before a retry, and are released when the item ends.

A batch with ``before_items`` holds the items back (``hold_items``) until its setup ran, keeps
the setup's outputs (``batch``, read as ``${batch.<id>.<field>}``) and hands each provider that
can take it (``SetsUp``) the replay that makes its later resources like the first one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bots.kernel import Provider, Resource, StepType
from bots.kernel.resources import Replay, SetsUp, Warms
from bots.recipe import Recipe
from bots.recipe.sections import settings_for
from bots.steps.registry import all_resources


class ResourcePool:
    """One recipe's resource types in this process, started on first use."""

    def __init__(self, recipe: Recipe) -> None:
        self.recipe = recipe
        self.types = {name: all_resources()[name] for name in _needed(recipe)}
        self._settings: dict[str, BaseModel | None] = {}
        self._providers: dict[str, Provider] = {}
        self._shared: dict[str, Resource] = {}
        self._lock = asyncio.Lock()
        self.batch: dict[str, Any] = {}  # outputs of before_items (and after_items) steps
        self._replays: dict[str, Replay] = {}
        self._ready = asyncio.Event()
        self._ready.set()  # items run at once unless a batch's setup holds them

    def hold_items(self) -> None:
        """Items wait until `release_items` (the batch's before_items run first)."""
        self._ready.clear()

    def release_items(self) -> None:
        self._ready.set()

    async def ready(self) -> None:
        """Wait, if the batch's setup holds the items back."""
        await self._ready.wait()

    def set_up_with(self, name: str, replay: Replay) -> None:
        """Resources of type `name` opened from now on get the batch's setup replayed."""
        self._replays[name] = replay
        provider = self._providers.get(name)
        if isinstance(provider, SetsUp):
            provider.set_up_with(replay)

    def preflight(self) -> None:
        """Resolve and check every needed section now; ConfigError when one cannot work."""
        for name in self.types:
            self._settings_of(name)

    def warm(self) -> None:
        """Begin starting, in the background, every needed type that can start ahead of use
        (``Warms``: a browser), so that it is up by the time the first step needs it."""
        for name in self.types:
            provider = self._provider(name)
            if isinstance(provider, Warms):
                provider.warm()

    def for_item(self) -> ItemResources:
        return ItemResources(self)

    def for_batch(self, pinned: dict[str, Resource] | None = None) -> ItemResources:
        """The resources of the batch's own steps: never held back; `pinned` ones given."""
        return ItemResources(self, pinned=pinned, held=False)

    async def open(self, name: str) -> Resource:
        """A resource of the type: a new one (item scope) or the batch's shared one."""
        kind = self.types[name]
        if kind.scope == "batch":
            async with self._lock:
                if name not in self._shared:
                    self._shared[name] = await self._provider(name).open()
            return self._shared[name]
        return await self._provider(name).open()

    async def stop(self) -> None:
        """Release the shared resources and stop every provider."""
        shared, self._shared = list(self._shared.values()), {}
        for resource in shared:
            await resource.release(ended_done=False)
        providers, self._providers = list(self._providers.values()), {}
        for provider in providers:
            await provider.stop()

    def _provider(self, name: str) -> Provider:
        if name not in self._providers:
            provider = self._providers[name] = self.types[name].start(self._settings_of(name))
            if name in self._replays and isinstance(provider, SetsUp):
                provider.set_up_with(self._replays[name])
        return self._providers[name]

    def provider(self, name: str) -> Provider | None:
        """The started provider of a type, if a step needed it yet."""
        return self._providers.get(name)

    def _settings_of(self, name: str) -> BaseModel | None:
        if name not in self._settings:
            self._settings[name] = settings_for(self.recipe.path, self.types[name],
                                                self.recipe.sections.get(name),
                                                self.recipe.model.secrets)
        return self._settings[name]

    def scope_of(self, name: str) -> str:
        return self.types[name].scope


class ItemResources:
    """One item's open resources: opened when a step first needs them, released at its end."""

    def __init__(self, pool: ResourcePool, *, pinned: dict[str, Resource] | None = None,
                 held: bool = True) -> None:
        self._pool = pool
        self._pinned = dict(pinned or {})  # given by the caller: never released here
        self._open: dict[str, Resource] = dict(self._pinned)
        self._held = held

    @property
    def batch(self) -> dict[str, Any]:
        """The batch steps' outputs so far, as ``${batch.<id>.<field>}`` reads them."""
        return self._pool.batch

    async def ready(self) -> None:
        """Wait while the batch's setup holds the items back (its before_items run)."""
        if self._held:
            await self._pool.ready()

    async def for_step(self, step_type: StepType) -> dict[str, Resource]:
        """The resources the step type needs, opened now if they are not yet."""
        await self.ready()
        for name in step_type.needs:
            if name not in self._open:
                self._open[name] = await self._pool.open(name)
        return {name: self._open[name] for name in step_type.needs}

    async def evidence(self, names: Iterable[str], folder: Path, label: str) -> dict[str, Any]:
        """What the named resources show now (their evidence merged)."""
        found: dict[str, Any] = {}
        for name in names:
            if name in self._open:
                found |= await self._open[name].evidence(folder, label)
        return found

    async def reset(self, names: Iterable[str]) -> None:
        for name in names:
            if name in self._open:
                await self._open[name].reset()

    async def release(self, *, ended_done: bool) -> None:
        """The item is over: item-scoped resources are released (a batch's stay open)."""
        opened, self._open = self._open, dict(self._pinned)
        for name, resource in opened.items():
            if self._pool.scope_of(name) == "item" and name not in self._pinned:
                await resource.release(ended_done=ended_done)


def _needed(recipe: Recipe) -> list[str]:
    """The resource types the recipe's steps and checks need, in order of first use."""
    types: list[StepType] = [step.type for step in [*recipe.before_items, *recipe.after_items]]
    for step in recipe.steps:
        types += [step.type] + ([step.check_type] if step.check_type else [])
    return list(dict.fromkeys(name for step_type in types for name in step_type.needs))
