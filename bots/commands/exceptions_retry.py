"""`exceptions retry --all | --code X`: run many open exceptions again, each with the recipe
file it was queued from, audited, one line per item as it ends."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bots import log
from bots.commands.common import (
    database_url,
    fail,
    print_json,
    report_recipe_error,
    say,
    state_dir,
)
from bots.commands.exceptions import ID_WIDTH, all_items
from bots.engine.batch import RunOptions, new_run_id
from bots.engine.progress import describe
from bots.engine.recipe_of import RecipeMissing, recipe_file_of, recipe_of, same_file
from bots.engine.resubmit import retry_item
from bots.kernel.errors import BotError, RecipeError
from bots.ledger import Ledger
from bots.ledger.actions import ActionError
from bots.ledger.claims import ItemBusy
from bots.ledger.item_ids import short_ids
from bots.recipe import load_recipe
from bots.secrets import load_dotenv
from bots.terminal import printable


def retry_all(*, recipe: str | None = None, codes: list[str] | None = None, who: str = "cli",
              as_json: bool = False) -> int:
    """Retry every open exception of `recipe` with one of `codes` (all when none given).

    Each goes through the same path as `exceptions retry ID` (claimed, audited, resumed at
    the step that failed, a side effect never done twice), one after the other, with the
    recipe file it was queued from. Exit 0 when every one is done, 1 when some are still
    exceptions, 2 when one was refused (not open any more, or another process has it) or a
    recipe does not load or cannot start (then nothing more is retried: run `check` first).
    """
    try:
        rows = rows_to_retry(recipe, codes)
    except RecipeError as error:
        report_recipe_error(error)
        return 2
    except BotError as error:
        fail(error.message)
        return 2
    if not rows:
        print(f"No open exception matches ({_filters(recipe, codes)}); nothing retried.")
        return 0
    if not _recipes_load(rows):
        return 2
    try:
        results = _retry_rows(rows, who, as_json)
    except RecipeError as error:
        report_recipe_error(error)
        fail("the recipe's configuration cannot work, so the items left were not retried")
        return 2
    except BotError as error:  # not this item's: a missing variable, a failing setup step
        fail(f"{error.message}\nThe items left were not retried; fix this and retry again")
        return 2
    return _total(results, as_json)


def open_exceptions(recipe: str | None, codes: list[str] | None) -> list[dict[str, Any]]:
    """The open exceptions of `recipe` (all recipes when None) with one of `codes` (any)."""
    ledger = Ledger(database_url())
    try:
        return [row for row in ledger.find_items(recipe=recipe, status="exception")
                if row["review_state"] == "open" and (not codes or row["code"] in codes)]
    finally:
        ledger.close()


def rows_to_retry(recipe: str | None, codes: list[str] | None) -> list[dict[str, Any]]:
    """The open exceptions to retry. `recipe` is a name, or a recipe file: then only the items
    queued from that file (a retry runs each item with its own file, never another one)."""
    if recipe is None or not (recipe.endswith((".yaml", ".yml")) or Path(recipe).is_file()):
        return open_exceptions(recipe, codes)
    name = load_recipe(recipe).name
    rows = open_exceptions(name, codes)
    mine = [row for row in rows if same_file(row, Path(recipe))]
    if rows and not mine:
        runs = sorted({str(_file_or_name(row)) for row in rows})
        raise ActionError(f"{recipe} is recipe {name}, but a retry runs {', '.join(runs)} "
                          "(the file its items were queued from); make your change there and "
                          f"retry with --recipe {runs[0]}")
    return mine


def _file_or_name(row: dict[str, Any]) -> str:
    try:
        return str(recipe_file_of(row))
    except RecipeMissing:
        return str(row.get("recipe_path") or row["recipe"])


def _filters(recipe: str | None, codes: list[str] | None) -> str:
    return f"recipe {recipe or 'any'}, code {' or '.join(codes) if codes else 'any'}"


def _recipes_load(rows: list[dict[str, Any]]) -> bool:
    """Whether the recipe of every row to rerun loads (each from the file its items were
    queued from); each problem printed when one does not."""
    files: dict[str, dict[str, Any]] = {}
    for row in rows:
        files.setdefault(row.get("recipe_path") or row["recipe"], row)
    for row in files.values():
        try:
            recipe_of(row)
        except RecipeMissing as error:
            fail(f"{error.message}\nNone of its items was retried.")
            return False
        except RecipeError as error:
            report_recipe_error(error)
            fail(f"recipe {row['recipe']} does not load, so none of its items was retried; "
                 f"fix it (python runner.py check {_file_or_name(row)}) and retry again")
            return False
    return True


def _retry_rows(rows: list[dict[str, Any]], who: str, as_json: bool) -> list[dict[str, Any]]:
    """Retry each row in turn, in one process and one log; a line per item as it ends."""
    load_dotenv(Path(".env"))
    run_id = new_run_id()
    folder = state_dir()
    handle = log.configure(folder / "logs" / f"retry-{run_id}.jsonl", to_stdout=False)
    options = RunOptions(state_dir=folder, database_url=database_url(), run_id=run_id)
    results = []
    ids = short_ids(rows, all_items())  # as `exceptions` prints them
    try:
        for row in rows:
            results.append(_retry_one(row, ids[row["item_id"]], who, options))
            if not as_json:
                _say_result(row, results[-1])
    finally:
        if handle:
            handle.close()
    return results


def _retry_one(row: dict[str, Any], ident: str, who: str, options: RunOptions
               ) -> dict[str, Any]:
    """One item retried as `retry ID` does it, on an event loop of its own (DBOS leaves its
    thread pool shut down on the loop it ran on)."""
    result = {"id": ident, "name": row["name"], "was": row["code"]}
    try:
        outcome = asyncio.run(retry_item(row["item_id"], who, {}, options))
    except (ActionError, ItemBusy) as error:  # not open any more, or another process has it
        return result | {"status": "refused", "code": error.code, "message": error.message}
    return result | {"status": outcome.status, "code": outcome.code,
                     "message": describe(outcome)}


def _say_result(row: dict[str, Any], result: dict[str, Any]) -> None:
    refused = "refused: " if result["status"] == "refused" else ""
    say(f"{result['id']:<{ID_WIDTH}}  {printable(row['name'])}  (was {row['code']}): "
        f"{refused}{result['message']}")


def _total(results: list[dict[str, Any]], as_json: bool) -> int:
    """The tally of a bulk retry, printed; its exit code."""
    count = {status: sum(r["status"] == status for r in results)
             for status in ("done", "exception", "refused")}
    if as_json:
        print_json({"items": results, "total": len(results), **count})
    else:
        print(f"\nretried {len(results)}: {count['done']} done, {count['exception']} still "
              f"exceptions, {count['refused']} refused")
    if count["refused"]:
        return 2
    return 1 if count["exception"] else 0
