"""What the item workflows of this process share while DBOS runs them.

DBOS calls a workflow with plain data only, so the workflow finds the rest here: the run's
record (the ledger, or a dry run's notes), the recipes, their resources and the batch waiting
for outcomes. A ``Host`` is expected before DBOS launches (``expecting``), serves inside
``hosting(...)`` once this process holds its worker lease, and is cleared (its resources
stopped) when the run ends; a workflow fetches it once, waiting for it to be ready.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.engine.attempts import Sleep
from bots.engine.book import Book
from bots.engine.leases import Lease
from bots.engine.outage import OutageGate
from bots.engine.resources import ResourcePool
from bots.kernel import Outcome
from bots.recipe import Recipe, load_recipe
from bots.recipe.environment import check_env


class Completions:
    """Outcomes of the items that end in this process, handed to whoever waits for them."""

    def __init__(self) -> None:
        self._waiting: dict[str, asyncio.Future[Outcome]] = {}

    def expect(self, workflow_id: str) -> asyncio.Future[Outcome]:
        """A future the item's outcome will be set on, if the item ends in this process."""
        return self._waiting.setdefault(workflow_id, asyncio.get_running_loop().create_future())

    def settle(self, workflow_id: str, outcome: Outcome) -> None:
        """Hand the outcome to whoever expects it (kept until they `forget` it)."""
        waiting = self._waiting.get(workflow_id)
        if waiting is not None and not waiting.done():
            waiting.set_result(outcome)

    def forget(self, workflow_id: str) -> None:
        """The waiter has its outcome (or gave up): drop the future."""
        self._waiting.pop(workflow_id, None)


@dataclass
class Host:
    """One run's shared services: its id, state folder, record, recipes and resources."""

    run_id: str
    state_dir: Path
    book: Book
    recipes: dict[str, Recipe] = field(default_factory=dict)
    sleep: Sleep = asyncio.sleep
    completions: Completions = field(default_factory=Completions)
    pools: dict[str, ResourcePool] = field(default_factory=dict)
    lease: Lease | None = None  # this process's worker lease, once DBOS runs
    running: set[asyncio.Task[Any]] = field(default_factory=set)  # item runs in this process
    closing: bool = False  # the run is ending: no new item starts here
    outages: dict[str, OutageGate] = field(default_factory=dict)  # one per recipe, all items
    heal: bool = True  # web steps may re-find a control a changed screen lost (``--no-heal``)
    slots: asyncio.Semaphore | None = None  # items running their steps at once (None: any)
    stopping: asyncio.Future[None] | None = None  # the resources being stopped (begin_close)
    ready: asyncio.Event = field(default_factory=asyncio.Event)  # hosting: items may start

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the run's slots while an item's workflow runs (first come, first
        served: items keep their order). A queue that hands out an item ahead of its
        concurrency (``durable.queue_spec``) lets it wait here before it touches anything;
        once the run is ending it is cancelled instead, and stays pending for the next run."""
        if self.slots is None:
            yield
            return
        async with self.slots:
            if self.closing:
                raise asyncio.CancelledError("the run is ending: the item is left for the next")
            yield

    @property
    def owner(self) -> Lease:
        """The lease the items of this process are claimed under."""
        if self.lease is None:
            raise RuntimeError("no worker lease: items run only inside durable(...)")
        return self.lease

    async def stop_items(self) -> None:
        """Stop the items running in this process mid-way: they stay pending for a later run
        (or, on a shared database, for another worker once this one is gone); none starts
        here any more."""
        self.closing = True
        tasks = [task for task in self.running if not task.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def recipe(self, name: str) -> Recipe:
        """A recipe by name; loaded on demand for workflows recovered from another run."""
        if name not in self.recipes:
            self.recipes[name] = load_recipe(name)
        return self.recipes[name]

    def prepare(self, recipe: Recipe) -> None:
        """Check, before any item, that the recipe's configuration can work here.

        The variables it names are set (BotError CONFIG_MISSING); each resource section,
        filled in from the environment, is valid and its preflight passes (ConfigError).
        """
        check_env(recipe)
        self.resources(recipe).preflight()

    def resources(self, recipe: Recipe) -> ResourcePool:
        """The recipe's resources in this process (started when a step first needs one)."""
        if recipe.name not in self.pools:
            self.pools[recipe.name] = ResourcePool(recipe)
        return self.pools[recipe.name]

    def outage(self, recipe: Recipe) -> OutageGate:
        """The recipe's outage gate in this process, shared by all its items."""
        if recipe.name not in self.outages:
            self.outages[recipe.name] = OutageGate(recipe.model.settings.outage)
        return self.outages[recipe.name]

    def evidence_dir(self, item_id: str) -> Path:
        """The folder that keeps an item's evidence (screenshots, HTML)."""
        return self.state_dir / "evidence" / item_id.replace("/", "_").replace(":", "_")

    def begin_close(self) -> None:
        """Start stopping every resource this host started; `close` waits for it. The browser
        closes while DBOS stops (both take tens of milliseconds at a run's end)."""
        if self.stopping is None or self.pools:
            pools, self.pools = list(self.pools.values()), {}
            self.stopping = asyncio.ensure_future(_stop_all(pools, self.stopping))

    async def close(self) -> None:
        """Stop every resource this host started, and wait until they are."""
        self.begin_close()
        assert self.stopping is not None
        await self.stopping


async def _stop_all(pools: list[ResourcePool], earlier: asyncio.Future[None] | None) -> None:
    if earlier is not None:
        await earlier
    for pool in pools:
        await pool.stop()


_current: Host | None = None


@contextlib.contextmanager
def expecting(host: Host) -> Iterator[Host]:
    """Make `host` the one this process's workflows will use, before DBOS launches.

    DBOS's queue may hand over an item at once, while the run still looks for dead workers'
    items: that item waits until ``hosting`` has the host ready. Without a host it was
    cancelled and stayed pending under a live process, and the run waited for it for ever.
    """
    global _current
    _current = host
    try:
        yield host
    finally:
        host.closing = True
        host.ready.set()  # an item still waiting is cancelled, left for the next run
        _current = None


@contextlib.asynccontextmanager
async def hosting(host: Host, lease: Lease) -> AsyncIterator[Host]:
    """Serve this process's workflows from `host`, under `lease`, until the block ends."""
    global _current
    _current, host.lease = host, lease
    host.ready.set()
    try:
        yield host
    finally:
        host.closing = True
        await host.stop_items()
        _current = None
        host.begin_close()  # the caller awaits host.close() once DBOS is stopping too


def current_host() -> Host:
    """The host of the run in progress, ready or not.

    DBOS may hand this process an item while its run is ending (a tripped breaker, a stop
    signal): that item is cancelled at once, so it stays pending for the next run instead of
    failing for want of a host.
    """
    if _current is None or _current.closing:
        raise asyncio.CancelledError("the run is ending: the item is left for the next run")
    return _current


async def ready_host() -> Host:
    """The host of the run in progress once it serves items (a workflow's first call)."""
    host = current_host()
    await host.ready.wait()
    return current_host()
