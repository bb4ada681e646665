"""The chaos scenarios: each drives real runner processes against the fixture app under one
kind of fault, and says what to audit after (the state database and the recipes).

Every scenario gets a reset app, an empty folder and a claim count; it returns an `Audited`.
The faults are the ones operators and attackers cause: database connections cut under
workers, the same exception resubmitted twice at once, two recipes and a resubmit on one
SQLite file, the target down for a minute, a wiped or renamed state, answers lost while the
server still commits.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.chaos_audit import CLAIMS, ORDERS, Target
from bench.chaos_claims import Fixable, open_exceptions, write_fixable, write_valid
from bench.chaos_cutter import cutting_connections
from bench.chaos_support import World, claims_recipe, fresh_database, orders_recipe, wait_until

OUTAGE_S = 60.0


@dataclass
class Audited:
    """What to audit after a scenario: its state database and its recipes with their targets."""

    database_url: str
    recipes: list[tuple[Path, Target]]


Scenario = Callable[[World, int], Audited]


def sqlite_url(state: Path) -> str:
    """The default state database of a state folder."""
    return f"sqlite:///{state / 'bots.sqlite'}"


def late_commits(world: World, claims: int) -> Audited:
    """A run while 30 % of submits answer 504 at once and commit 3 s later."""
    inbox, state = world.folder / "inbox", world.folder / "state"
    write_valid(inbox, claims)
    recipe = claims_recipe(world.folder, inbox)
    world.app.set_faults(late_commit_rate=0.3, late_commit_ms=3000, seed=9)
    world.run("run", state, str(recipe))
    world.app.set_faults(late_commit_rate=0)
    world.note(f"late commits: {world.app.wait_for_late_commits(timeout_s=30)}")
    return Audited(sqlite_url(state), [(recipe, CLAIMS)])


def wiped_state(world: World, claims: int) -> Audited:
    """A run; the state folder deleted; a run again; then the recipe renamed and run."""
    inbox, state = world.folder / "inbox", world.folder / "state"
    write_valid(inbox, claims)
    recipe = claims_recipe(world.folder, inbox)
    world.run("first", state, str(recipe))
    shutil.rmtree(state)
    world.note("state folder deleted")
    world.run("after-wipe", state, str(recipe))
    renamed = claims_recipe(world.folder, inbox, name="claims-chaos-renamed")
    world.run("renamed", state, str(renamed))
    return Audited(sqlite_url(state), [(recipe, CLAIMS), (renamed, CLAIMS)])


def outage(world: World, claims: int) -> Audited:
    """The app answers 503 to everything for 60 s in the middle of a run (outage.wait_s 90)."""
    inbox, state = world.folder / "inbox", world.folder / "state"
    write_valid(inbox, claims)
    recipe = claims_recipe(world.folder, inbox, outage={"wait_s": 90, "probe_s": 5})
    run = world.start("run", state, str(recipe))
    wait_until(lambda: len(world.app.claims()) >= max(1, claims // 3), 180, "a third keyed")
    world.app.set_faults(error_rate=1.0)
    world.note(f"outage on after {len(world.app.claims())} claims keyed")
    time.sleep(OUTAGE_S)
    world.app.set_faults(error_rate=0)
    world.note(f"outage off after {OUTAGE_S:.0f} s, {len(world.app.claims())} claims keyed")
    world.finish(run)
    return Audited(sqlite_url(state), [(recipe, CLAIMS)])


def pg_cuts(world: World, claims: int) -> Audited:
    """Three workers on one PostgreSQL database while their connections are cut at random."""
    inbox = world.folder / "inbox"
    write_valid(inbox, claims)
    recipe = claims_recipe(world.folder, inbox, concurrency=4)
    assert world.database is not None  # run_scenario gives pg-cuts its own database
    world.app.set_faults(latency_ms=50)
    with cutting_connections(world.database, world.note, every_s=(2.0, 5.0)):
        workers = [world.start(f"worker-{n}", world.folder / f"worker-{n}", str(recipe),
                               worker=f"chaos-worker-{n}") for n in (1, 2, 3)]
        world.finish(*workers)
    world.app.set_faults(latency_ms=0)
    return Audited(world.database, [(recipe, CLAIMS)])


def resubmits(world: World, claims: int) -> Audited:
    """Exceptions retried by two processes at once: the same item, then different items."""
    inbox, state = world.folder / "inbox", world.folder / "state"
    fixable = write_fixable(inbox, max(4, claims // 4))
    recipe = claims_recipe(world.folder, inbox)
    world.run("batch", state, str(recipe))
    ids = open_exceptions(sqlite_url(state))
    world.note(f"{len(ids)} items in the exception queue")
    pairs: list[tuple[Fixable, ...]] = [(f, f) for f in fixable[: len(fixable) // 2]]
    rest = fixable[len(fixable) // 2:]
    pairs += [tuple(rest[n:n + 2]) for n in range(0, len(rest), 2)]  # an odd one goes alone
    for number, pair in enumerate(pairs, 1):
        started = [world.start(f"retry-{number}-{side}", state, "exceptions", "retry",
                               ids[item.path.name], "--set", item.correction, "--json")
                   for side, item in enumerate(pair, 1)]
        world.finish(*started)
    world.note(f"{len(open_exceptions(sqlite_url(state)))} of {len(ids)} still in the queue")
    return Audited(sqlite_url(state), [(recipe, CLAIMS)])


def shared_sqlite(world: World, claims: int) -> Audited:
    """claims-intake and order-entry at once on one SQLite state, and a resubmit meanwhile."""
    inbox, state = world.folder / "inbox", world.folder / "state"
    fixable = write_fixable(inbox, 2)
    recipe = claims_recipe(world.folder, inbox)
    world.run("claims-first", state, str(recipe))
    write_valid(inbox, claims)
    orders = orders_recipe(world.folder)
    world.app.set_faults(latency_ms=50)
    batches = [world.start("claims", state, str(recipe)), world.start("orders", state,
                                                                      str(orders))]
    wait_until(lambda: len(world.app.claims()) >= 2, 180, "two claims keyed")
    ids = open_exceptions(sqlite_url(state))
    for number, item in enumerate(fixable, 1):
        world.run(f"retry-{number}", state, "exceptions", "retry", ids[item.path.name],
                  "--set", item.correction, "--json")
    world.finish(*batches)
    world.app.set_faults(latency_ms=0)
    world.note(f"{len(open_exceptions(sqlite_url(state)))} claims and orders in the queue")
    return Audited(sqlite_url(state), [(recipe, CLAIMS), (orders, ORDERS)])


SCENARIOS: dict[str, Scenario] = {
    "pg-cuts": pg_cuts, "resubmits": resubmits, "shared-sqlite": shared_sqlite,
    "outage": outage, "wiped-state": wiped_state, "late-commits": late_commits,
}


@contextlib.contextmanager
def database_for(name: str) -> Iterator[str | None]:
    """pg-cuts gets a fresh PostgreSQL database; the others keep SQLite state folders."""
    if name != "pg-cuts":
        yield None
        return
    with fresh_database() as url:
        yield url
