"""The resources a recipe's steps need, as the engine sees them: started, opened, released.

The engine names no family: it asks the registry for the resource types the recipe's steps
declare (``needs=``), validates their sections before any item runs (``preflight``), starts
each type once per process on first use, and opens resources per item (or once for the whole
batch, by the type's scope). An item's resources give evidence when a step that used them
fails, are reset before a retry, and are released when the item ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bots.kernel import Provider, Resource, StepType
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

    def preflight(self) -> None:
        """Resolve and check every needed section now; ConfigError when one cannot work."""
        for name in self.types:
            self._settings_of(name)

    def for_item(self) -> ItemResources:
        return ItemResources(self)

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
            self._providers[name] = self.types[name].start(self._settings_of(name))
        return self._providers[name]

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

    def __init__(self, pool: ResourcePool) -> None:
        self._pool = pool
        self._open: dict[str, Resource] = {}

    async def for_step(self, step_type: StepType) -> dict[str, Resource]:
        """The resources the step type needs, opened now if they are not yet."""
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
        opened, self._open = self._open, {}
        for name, resource in opened.items():
            if self._pool.scope_of(name) == "item":
                await resource.release(ended_done=ended_done)


def _needed(recipe: Recipe) -> list[str]:
    """The resource types the recipe's steps and checks need, in order of first use."""
    types: list[StepType] = []
    for step in recipe.steps:
        types += [step.type] + ([step.check_type] if step.check_type else [])
    return list(dict.fromkeys(name for step_type in types for name in step_type.needs))
