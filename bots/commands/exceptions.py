"""`exceptions`: the exception queue, for people (a table) and machines (--json); and
`exceptions retry --all`, which reruns the open exceptions after a rule change.
`exceptions show ID` lives in bots/commands/exception_show.py."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
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
from bots.engine.batch import RunOptions, new_run_id
from bots.engine.progress import describe, terminal_width
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

ID_WIDTH = 10  # the first hex digits of an item's key: enough to tell items apart
Row = dict[str, Any]
NAME_ROOM = 24  # columns an item's name needs to be recognised


def list_exceptions(*, recipe: str | None = None, as_json: bool = False,
                    codes: list[str] | None = None) -> int:
    """Print every item in the exception queue (of `recipe`, with one of `codes`), oldest
    first, each with an ID that `exceptions show`, `retry`, `resolve` and `reject` accept."""
    rows, ids = _listed(recipe, codes)
    if as_json:
        print_json([_summary(row, ids[row["item_id"]]) for row in rows])
        return 0
    if not rows:
        print("The exception queue is empty.")
        return 0
    for line in _table(rows, ids, terminal_width(sys.stdout)):
        say(line)
    print(f"\n{len(rows)} item(s). Details: python runner.py exceptions show ID")
    return 0


def _listed(recipe: str | None, codes: list[str] | None) -> tuple[list[Row], dict[str, str]]:
    """The open exceptions and their short IDs (unique among all the ledger's items)."""
    ledger = Ledger(database_url())
    try:
        everyone = ledger.find_items()
    finally:
        ledger.close()
    rows = [row for row in everyone if row["status"] == "exception"
            and row["review_state"] == "open" and (not recipe or row["recipe"] == recipe)
            and (not codes or row["code"] in codes)]
    return rows, short_ids(rows, everyone)


def _table(rows: list[Row], ids: dict[str, str], width: int) -> list[str]:
    """The queue as lines of columns as wide as their values. On a known width, the step and
    then the recipe columns go when the item's name would have less than NAME_ROOM columns;
    the name is cut to what is left."""
    heads = ["ID", "RECIPE", "CODE", "STEP", "AGE"]
    cells = [[ids[row["item_id"]], row["recipe"], row["code"] or "", row["step"] or "",
              item_age(row)] for row in rows]
    for column in ("STEP", "RECIPE"):
        sizes = [max(len(cell[i]) for cell in [heads, *cells]) for i in range(len(heads))]
        if not width or sum(sizes) + 2 * len(sizes) + NAME_ROOM <= width:
            break
        at = heads.index(column)
        heads, cells = _without(heads, at), [_without(cell, at) for cell in cells]
    sizes = [max(len(cell[i]) for cell in [heads, *cells]) for i in range(len(heads))]
    lines = [_columns(heads, sizes) + "  ITEM"]
    for row, cell in zip(rows, cells, strict=True):
        head = _columns(cell, sizes)
        lines.append(f"{head}  {_cut(printable(row['name']), width - len(head) - 2, width)}")
    return lines


def _without(cells: list[str], at: int) -> list[str]:
    return cells[:at] + cells[at + 1:]


def _cut(name: str, room: int, width: int) -> str:
    """A name within `room` columns (cut at its end, an ellipsis saying so); whole when the
    width is not known."""
    return name if not width or len(name) <= room else name[:max(room - 1, 1)] + "…"


def _columns(cells: list[str], sizes: list[int]) -> str:
    """Cells padded to their column's size (the age, last, right-aligned)."""
    padded = [f"{cell:<{size}}" for cell, size in zip(cells[:-1], sizes, strict=False)]
    return "  ".join([*padded, f"{cells[-1]:>{sizes[-1]}}"])


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
    try:
        for row in rows:
            results.append(_retry_one(row, who, options))
            if not as_json:
                _say_result(row, results[-1])
    finally:
        if handle:
            handle.close()
    return results


def _retry_one(row: dict[str, Any], who: str, options: RunOptions) -> dict[str, Any]:
    """One item retried as `retry ID` does it, on an event loop of its own (DBOS leaves its
    thread pool shut down on the loop it ran on)."""
    result = {"id": row["item_key"][:ID_WIDTH], "name": row["name"], "was": row["code"]}
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


def _summary(row: Row, short: str) -> dict[str, Any]:
    keys = ("item_id", "recipe", "name", "path", "code", "message", "step", "arrived_at",
            "updated_at", "evidence")
    return {"id": short, **{key: row[key] for key in keys}}


def item_age(row: dict[str, Any]) -> str:
    seconds = (datetime.now(UTC) - datetime.fromisoformat(row["created_at"])).total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"
