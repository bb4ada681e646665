"""What a chaos scenario works with: the app, a work folder, recipe copies, runner processes.

Every runner is a real ``python runner.py ...`` subprocess started the way a user or a
scheduler starts it; its output goes to files under the scenario's folder (``logs/``), so a
long run never blocks on a full pipe and every line stays there to be read after. The folder
is the processes' working directory and holds the recipe copies in ``recipes/``, as a user's
project does: `exceptions retry` finds an item's recipe by name there.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.run_bench import environment
from bench.workers import CREDENTIALS
from fixtures.legacy_app.launch import LegacyApp
from fixtures.recipe_copy import ROOT, recipe_copy

POSTGRES = "postgresql://root@127.0.0.1:5432"
RUN_TIMEOUT_S = 420.0  # no scenario's run should come near this; past it the run is killed


@dataclass
class Finished:
    """A runner process that ended: its arguments, exit code and log files."""

    label: str
    args: list[str]
    code: int
    stdout: Path
    stderr: Path

    def tail(self, lines: int = 5) -> str:
        """The last lines of its stderr, for a report."""
        text = self.stderr.read_text(encoding="utf-8", errors="replace").strip()
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class Started:
    """A runner process still running (or not yet waited for)."""

    label: str
    args: list[str]
    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def wait(self, timeout_s: float = RUN_TIMEOUT_S) -> Finished:
        """Wait for its end; a process past `timeout_s` is killed and recorded as such."""
        try:
            code = self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        return Finished(self.label, self.args, code, self.stdout, self.stderr)


@dataclass
class World:
    """One scenario's app, folder and processes; `runs` lists every process that ended."""

    app: LegacyApp
    folder: Path
    database: str | None = None  # a PostgreSQL URL, else each state folder's SQLite file
    runs: list[Finished] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def env(self, state: Path, worker: str | None = None) -> dict[str, str]:
        """A runner's environment: the app, its sign-on, a state folder, the database."""
        env = environment(self.app, CREDENTIALS, state)
        if self.database:
            env["BOTS_DATABASE_URL"] = self.database
        if worker:
            env["BOTS_WORKER_ID"] = worker
        return env

    def start(self, label: str, state: Path, *args: str, worker: str | None = None) -> Started:
        """Start `runner.py ARGS` in the background."""
        logs = self.folder / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        stdout, stderr = logs / f"{label}.out", logs / f"{label}.err"
        with stdout.open("wb") as out, stderr.open("wb") as err:
            process = subprocess.Popen([sys.executable, str(ROOT / "runner.py"), *args],
                                       cwd=self.folder,
                                       env=self.env(state, worker), stdout=out, stderr=err)
        return Started(label, list(args), process, stdout, stderr)

    def finish(self, *started: Started) -> list[Finished]:
        """Wait for every given process and keep its ending."""
        ended = [process.wait() for process in started]
        self.runs.extend(ended)
        return ended

    def run(self, label: str, state: Path, *args: str, worker: str | None = None) -> Finished:
        """Run `runner.py ARGS` to its end."""
        [ended] = self.finish(self.start(label, state, *args, worker=worker))
        return ended

    def note(self, text: str) -> None:
        """Something that happened, for the scenario's report."""
        self.notes.append(text)
        print(f"[chaos] {text}", file=sys.stderr, flush=True)


def claims_recipe(folder: Path, inbox: Path, name: str = "claims-chaos",
                  check: dict[str, Any] | None = None, **settings: Any) -> Path:
    """claims-intake reading `inbox` under the recipe name `name`, with `settings` changed
    (and the submit step's `check` settings, e.g. settle_s)."""
    def change(data: Any) -> None:
        data["recipe"] = name
        data["source"]["folder"] = str(inbox)
        data["settings"].update(settings)
        data.pop("service_goal", None)
        for step in data["steps"]:
            if "check" in step:
                step["check"].update(check or {})

    return recipe_copy(recipes_folder(folder), "claims-intake", change,
                       file_name=f"{name}.yaml")


def orders_recipe(folder: Path, **settings: Any) -> Path:
    """order-entry over the bundled workbook and inbox, from a copy with absolute paths."""
    def change(data: Any) -> None:
        for source in data["sources"]:
            if "sheet" in source:
                source["sheet"]["path"] = str(ROOT / source["sheet"]["path"])
            else:
                source["folder"] = str(ROOT / source["folder"])
        data["settings"].update(settings)
        data.pop("service_goal", None)

    return recipe_copy(recipes_folder(folder), "order-entry", change,
                       file_name="order-entry.yaml")


def recipes_folder(folder: Path) -> Path:
    """The `recipes/` folder of a scenario's working directory (created)."""
    recipes = folder / "recipes"
    recipes.mkdir(parents=True, exist_ok=True)
    return recipes


@contextlib.contextmanager
def fresh_database(server: str = POSTGRES) -> Iterator[str]:
    """A new, empty PostgreSQL database for one scenario, dropped after it."""
    import psycopg

    name = f"bots_chaos_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{server}/{name}"
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> bool:
    """Poll `condition` until it holds (True) or `timeout_s` passes (False, said on stderr)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            print(f"[chaos] gave up waiting for {what} after {timeout_s:.0f} s",
                  file=sys.stderr, flush=True)
            return False
        time.sleep(0.2)
    return True
