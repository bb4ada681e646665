"""`RECIPE`: run a recipe over its inbox and end with one JSON summary line on stdout."""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import signal
import sys
import traceback
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import IO, Any

import structlog

from bots import log
from bots.commands.common import (
    database_url,
    fail,
    print_json,
    report_recipe_error,
    say,
    state_dir,
)
from bots.engine.batch import RunOptions, new_run_id, run_batch
from bots.engine.progress import Progress
from bots.engine.summary import (
    EXIT_CODES,
    EXIT_CRASH,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    EXIT_RECIPE,
    ended_early,
)
from bots.kernel.errors import BotError, ConfigError, RecipeError
from bots.recipe import Recipe, load_recipe
from bots.secrets import load_dotenv
from bots.terminal import stdout_gone
from bots.web.heal.proposals import healed_since
from bots.web.heal.store import HealStore, now


def run(name_or_path: str, *, concurrency: int | None = None, dry_run: bool = False,
        heal: bool = True) -> int:
    """Run a recipe; the process exit code (see bots.engine.summary).

    Whatever the ending, stdout's last line is one JSON summary with `exit_code` and `reason`,
    and the run's log file (once there is one) ends with the same `run.summary` event.
    `heal=False` (``--no-heal``): a field or button the screen lost is never re-found.
    """
    load_dotenv(Path(".env"))
    try:
        recipe = load_recipe(name_or_path)
    except RecipeError as error:
        report_recipe_error(error)
        return _ended(ended_early(name_or_path, "", EXIT_RECIPE, _recipe_reason(error)))
    run_id = new_run_id()
    folder = state_dir()
    options = RunOptions(state_dir=folder, database_url=database_url(), dry_run=dry_run,
                         concurrency=concurrency, run_id=run_id, heal=heal)
    heal_store, started = HealStore(folder, recipe.name), now()
    heal_store.remember_recipe_file(recipe.path.resolve())
    log_path = folder / "logs" / f"{recipe.name}-{run_id}.jsonl"
    handle = log.configure(log_path)
    try:
        with run_lock(folder, recipe.name):
            summary = _run(recipe, options, log_path)
            _report_healed(heal_store, started)
    except LockedError as error:
        fail(str(error))
        summary = ended_early(recipe.name, run_id, EXIT_LOCKED, str(error))
    try:
        return _ended(summary | {"log_file": str(log_path)}, handle)
    finally:
        if handle:
            handle.close()


def _ended(summary: dict[str, Any], handle: IO[str] | None = None) -> int:
    """The summary as stdout's last line and the log file's last event; its exit code."""
    if handle is not None:
        log.append_event(handle, summary)
    try:
        print_json(summary)
    except BrokenPipeError:  # stdout's reader left: the run's exit code still counts
        stdout_gone()
    return int(summary["exit_code"])


def _recipe_reason(error: RecipeError) -> str:
    first = error.problems[0] if error.problems else "the recipe is not valid"
    more = f" (and {len(error.problems) - 1} more)" if len(error.problems) > 1 else ""
    return f"the recipe is wrong: {first}{more}"


def _run(recipe: Recipe, options: RunOptions, log_path: Path) -> dict[str, Any]:
    """The batch's summary, or a short one saying why the run ended before its summary."""
    interactive = sys.stdout.isatty()
    signal.signal(signal.SIGTERM, _interrupt)  # a scheduler's stop: same path as Ctrl-C
    progress = Progress(interactive)
    batch = run_batch(recipe, options, progress)
    early = partial(ended_early, recipe.name, options.run_id)
    try:
        summary = _batch_run(batch, progress)
    except ConfigError as error:  # what the environment filled in cannot work: one line each
        for problem in error.problems:
            fail(str(problem))
        return early(EXIT_RECIPE, f"the configuration cannot work: {error.problems[0]}")
    except RecipeError as error:
        report_recipe_error(error)
        return early(EXIT_RECIPE, _recipe_reason(error))
    except (KeyboardInterrupt, Stopped):
        fail("interrupted: finished steps are kept; run the same command again to finish")
        return early(EXIT_INTERRUPTED, EXIT_CODES[EXIT_INTERRUPTED])
    except BotError as error:
        fail(error.message)
        return early(EXIT_RECIPE, error.message)
    except Exception as error:  # the runner's own failure: logged in full, told briefly
        structlog.get_logger().error("run.crashed", error=repr(error),
                                     traceback=traceback.format_exc())
        fail(f"the run crashed: {type(error).__name__}: {error}. Run the same command again "
             f"to resume; details in {log_path}")
        return early(EXIT_CRASH, f"the runner crashed: {type(error).__name__}: {error}")
    _report_skipped(summary.get("skipped_files") or {})
    if interactive:
        progress.ended(summary)
        say(f"log: {log_path}", err=True)
    return summary


def _batch_run(batch: Coroutine[Any, Any, dict[str, Any]], progress: Progress) -> dict[str, Any]:
    """The batch run to its end; the live line erased however it ends (a stop, a crash), so
    that what is said next starts on a clean line."""
    try:
        return asyncio.run(_stoppable(batch))
    finally:
        progress.close()


def _report_skipped(skipped: dict[str, int]) -> None:
    """One line for people: inbox files that became no item, counted by reason."""
    if skipped:
        counts = ", ".join(f"{count} {reason}" for reason, count in skipped.items())
        say(f"skipped {sum(skipped.values())} inbox file(s) that are no work item ({counts}); "
            "each is a source.skipped event in the log, with its reason", err=True)


def _report_healed(store: HealStore, started: str) -> None:
    """One line for people when the run re-found controls the screens lost: never a silent
    green."""
    healed = healed_since(store, started)
    if healed:
        say(f"healing re-found {len(healed)} control(s) the screens no longer name as the "
            f"recipe does; review the proposed changes: python runner.py heal list "
            f"{store.recipe}", err=True)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


class Stopped(Exception):
    """SIGTERM or Ctrl-C arrived while the batch ran."""


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


async def _stoppable(batch: Coroutine[Any, Any, dict[str, Any]]) -> dict[str, Any]:
    """Run the batch; SIGTERM and Ctrl-C cancel it at an await.

    A signal handler that raises lands in whatever code runs at that moment, a DBOS workflow
    included, which would log the interruption as that item's failure.
    """
    task = asyncio.ensure_future(batch)
    loop = asyncio.get_running_loop()
    stopped = False

    def stop() -> None:
        nonlocal stopped
        stopped = True
        # the steps cut short are expected now; DBOS would warn of each with all its arguments
        logging.getLogger("dbos").setLevel(logging.ERROR)
        task.cancel()

    for number in STOP_SIGNALS:
        loop.add_signal_handler(number, stop)
    try:
        return await task
    except asyncio.CancelledError:
        if stopped:
            raise Stopped from None
        raise
    finally:
        for number in STOP_SIGNALS:
            loop.remove_signal_handler(number)
        signal.signal(signal.SIGTERM, _interrupt)


class LockedError(Exception):
    """Another run of the same recipe holds the lock."""


@contextmanager
def run_lock(folder: Path, recipe: str) -> Iterator[None]:
    """Hold an exclusive lock for this recipe so two runs never overlap on one machine."""
    path = folder / "locks" / f"{recipe}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            handle.seek(0)
            raise LockedError(f"another run of '{recipe}' is in progress "
                              f"(pid {handle.read().strip() or '?'}); not starting") from error
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        yield
