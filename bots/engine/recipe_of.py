"""Which recipe an item in the ledger runs with, wherever the recipe file lives.

A run records, per item, the resolved path of the recipe file it was queued from and a digest
of its text. A retry (`exceptions retry`, the review page's resubmit) finds the recipe by that
path first, so a recipe run as `runner.py run /some/where/x.yaml` is found from any folder;
then by name under recipes/ (items recorded before paths were); else a clear error. Only files
the ledger recorded from a real run are loaded this way: an item id never names a file.

A pending item resumed by a later run may meet a recipe edited in between: it runs with the
recipe as it is now (its checkpointed steps keep their outputs), and says so once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import structlog

from bots.kernel import Outcome
from bots.kernel.errors import BotError
from bots.kernel.outcome import BUSINESS
from bots.ledger import Ledger, RecipeStamp
from bots.recipe import RECIPES_DIR, Recipe, load_recipe
from bots.terminal import printable

UNFINISHED = ("queued", "running")


def stamp_of(recipe: Recipe) -> RecipeStamp:
    """The recipe's file (absolute) and version, as the ledger keeps them per item."""
    return RecipeStamp(str(recipe.path.resolve()), recipe.digest)


class RecipeMissing(BotError):
    """The recipe file an item was queued from is gone, and recipes/ has none of its name."""

    code = "RECIPE_MISSING"


def recipe_file_of(item: dict[str, Any]) -> Path:
    """The recipe file a ledger item runs with: its recorded path while that file exists,
    else recipes/<name>.yaml; RecipeMissing naming where it looked and what to do."""
    recorded = item.get("recipe_path")
    if recorded and Path(recorded).is_file():
        return Path(recorded)
    by_name = RECIPES_DIR / f"{item['recipe']}.yaml"
    if by_name.is_file():
        return by_name
    looked = f"{recorded} (where the item was queued from) nor at {by_name.resolve()}" \
        if recorded else f"{by_name.resolve()}"
    raise RecipeMissing(f"recipe {item['recipe']} of item {item['name']} is not at {looked}; "
                        "put the recipe file back there (or run this from the folder whose "
                        f"recipes/ has {item['recipe']}.yaml), then retry again")


def recipe_of(item: dict[str, Any]) -> Recipe:
    """The item's recipe, loaded and validated (see `recipe_file_of`)."""
    return load_recipe(str(recipe_file_of(item)))


def same_file(item: dict[str, Any], path: Path) -> bool:
    """Whether the item's recipe is the file at `path`."""
    try:
        return recipe_file_of(item).resolve() == path.resolve()
    except RecipeMissing:
        return False


def note_resumed(ledger: Ledger, item_id: str, recipe: Recipe) -> None:
    """An unfinished item queued again (its run was stopped): when the recipe changed since it
    started, warn (event `item.recipe_changed`, a terminal line) and record the new version,
    which it runs with from its first step not yet checkpointed. An item that never started
    runs wholly with the new version: its stamp is updated without a word."""
    row = ledger.item(item_id)
    if row is None or row["status"] not in UNFINISHED:
        return
    stamp = stamp_of(recipe)
    was = row.get("recipe_digest")
    if was and was != stamp.digest and row["status"] == "running":  # queued: all new, silent
        _warn(ledger, row, was, stamp)
    if was != stamp.digest or row.get("recipe_path") != stamp.path:
        ledger.update_item(item_id, **stamp.columns())


def _warn(ledger: Ledger, row: dict[str, Any], was: str, stamp: RecipeStamp) -> None:
    done = [step for step in (row.get("values") or {}) if not step.startswith("_")]
    kept = f"steps done before keep their outputs ({', '.join(done)})" if done \
        else "no step had finished"
    data = {"name": row["name"], "was": was[:8], "now": stamp.digest[:8], "path": stamp.path,
            "steps_done": done}
    ledger.add_event(row["item_id"], "item.recipe_changed", **data)
    structlog.get_logger().warning("item.recipe_changed", item_id=row["item_id"], **data)
    print(printable(f"warning: {row['name']}: recipe {row['recipe']} changed since the item "
                    f"started ({was[:8]} -> {stamp.digest[:8]}, {stamp.path}); it resumes "
                    f"with the recipe as it is now: {kept}"), file=sys.stderr, flush=True)


def replayed_elsewhere(step_id: str, recorded: str, outputs: dict[str, Any],
                       attempts: dict[str, int]) -> Outcome:
    """The outcome of an item whose step `step_id` met the checkpoint step `recorded` wrote:
    the recipe's steps were added, removed or reordered before the ones it had finished while
    it was stopped. It is held for a person (RECIPE_CHANGED), never run with another step's
    result; a retry runs it with the recipe as it is now, matching outputs by step id."""
    message = (f"the recipe changed while this item was stopped: step {step_id} would replay "
               f"what step {recorded} had recorded (steps were added, removed or reordered "
               "before those it had finished), so it was stopped there; retry it to run it "
               "with the recipe as it is now")
    error = {"kind": BUSINESS, "code": "RECIPE_CHANGED", "message": message}
    return Outcome.failed(error, step_id, outputs, attempts)
