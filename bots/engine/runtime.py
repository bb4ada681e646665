"""What the durable workflows of this process share: recipes, ledger, browser, run options."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.engine.items import EnvScope
from bots.ledger import Ledger
from bots.recipe import Recipe, load_recipe
from bots.steps.base import WorkItem


@dataclass
class Runtime:
    """Process-wide state for the workflows; set once by the batch before DBOS launches."""

    ledger: Ledger
    run_id: str
    state_dir: Path
    dry_run: bool = False
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    recipes: dict[str, Recipe] = field(default_factory=dict)
    sessions: dict[str, Any] = field(default_factory=dict)
    pool: Any = None
    _pool_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _finished: dict[str, asyncio.Event] = field(default_factory=dict)

    def finished(self, workflow_id: str) -> asyncio.Event:
        """Set when the workflow ends in this process (the batch waits on it)."""
        return self._finished.setdefault(workflow_id, asyncio.Event())

    def recipe(self, name: str) -> Recipe:
        """A recipe by name; loaded on demand for workflows recovered from an earlier run."""
        if name not in self.recipes:
            self.recipes[name] = load_recipe(name)
        return self.recipes[name]

    def scope(self, recipe: Recipe, item: WorkItem, outputs: dict[str, Any]) -> dict[str, Any]:
        """What references can name for this item: item, env and earlier steps' outputs."""
        return {"item": item.as_refs(), "env": EnvScope(recipe.model.secrets), **outputs}

    def evidence_dir(self, item_id: str) -> Path:
        """The folder that keeps an item's evidence (screenshots, HTML)."""
        return self.state_dir / "evidence" / item_id.replace("/", "_").replace(":", "_")

    async def web_session(self, recipe: Recipe, item_id: str) -> Any:
        """The item's web session (one browser context), created on first use."""
        if recipe.model.web is None:
            return None
        if item_id not in self.sessions:
            from bots.web.session import ItemSession

            self.sessions[item_id] = ItemSession(await self._browser(recipe), self._web(recipe))
        return self.sessions[item_id]

    async def close_session(self, item_id: str, *, reusable: bool = False) -> None:
        """Release the item's web session; one that ended done may serve the next item."""
        session = self.sessions.pop(item_id, None)
        if session is not None:
            await session.close(reusable=reusable)

    async def close(self) -> None:
        """Close every session and the browser."""
        for item_id in list(self.sessions):
            await self.close_session(item_id)
        if self.pool is not None:
            await self.pool.stop()
            self.pool = None

    async def _browser(self, recipe: Recipe) -> Any:
        async with self._pool_lock:
            if self.pool is None:
                from bots.web.session import BrowserPool

                self.pool = await BrowserPool.start(self._web(recipe))
        return self.pool

    def _web(self, recipe: Recipe) -> Any:
        from bots.recipe.refs import resolve
        from bots.web.config import WebConfig

        values = resolve(recipe.model.web, {"env": EnvScope(recipe.model.secrets)})
        return WebConfig.model_validate(values)


_current: Runtime | None = None


def set_runtime(runtime: Runtime | None) -> None:
    global _current
    _current = runtime


def runtime() -> Runtime:
    """The runtime of this process (the batch sets it before launching DBOS)."""
    if _current is None:
        raise RuntimeError("no runtime: start workflows through bots.engine.batch")
    return _current
