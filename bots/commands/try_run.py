"""One pdf step of a recipe run on one file outside the engine, as a batch would run it: its
parameters resolved for the file and validated by the step's schema, the recipe's limits, a
scratch folder for state; what it read, or the error it raised. Used by `try` for one file
and for many (bots/commands/try_step.py, try_many.py)."""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bots.commands.try_hints import layout_hints
from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import ApplicationError, BotError, BusinessError
from bots.kernel.refs import resolve
from bots.recipe import Recipe
from bots.recipe.phases import Step
from bots.secrets import EnvScope


class Refused(Exception):
    """The recipe, the step or the file cannot be tried; the message says what to do."""


def run_on(recipe: Recipe, step: Step, path: Path) -> tuple[Any, BotError | None]:
    """The step's output on `path`, or the BotError it raised (with what it had read)."""
    if not path.is_file():
        raise Refused(f"{path}: no such file")
    item = work_item(path)
    with tempfile.TemporaryDirectory(prefix="bots-try-") as scratch:
        ctx = StepContext(run_id="try", item=item, step_id=step.id, recipe=recipe.name,
                          limits=recipe.model.settings.limits, state_dir=Path(scratch),
                          evidence_dir=Path(scratch) / "evidence")
        params = parameters(recipe, step, item)
        try:
            return call(step, params, ctx), None
        except BotError as error:
            if error.code == "UNKNOWN_LAYOUT":
                error.details["layouts"] = layout_hints(params, path, ctx)
            return None, error
        except Exception as error:  # a run makes it STEP_FAILED too; shown, not a traceback
            return None, ApplicationError(
                f"step {step.id!r} failed unexpectedly ({type(error).__name__}: {error}); "
                "this is a fault in the step, not in your rules: please report it",
                code="STEP_FAILED")


def work_item(path: Path) -> WorkItem:
    """The file as the work item a folder source would make of it."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return WorkItem(key=digest, name=path.name, path=str(path.resolve()))


def parameters(recipe: Recipe, step: Step, item: WorkItem) -> Any:
    """The step's `with:` resolved for this item and validated by the step's schema."""
    scope = {"item": item.as_refs(), "env": EnvScope(recipe.model.secrets)}
    try:
        values = resolve(step.spec.with_, scope)
        if "path" in step.type.params.model_fields:  # FILE, even where the recipe names one
            values = {**values, "path": item.path}
        return step.type.params.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise Refused(f"step {step.id!r}: '{where}' is not valid: {first['msg']}") from error
    except BusinessError as error:  # a reference to another step's output, unknown here
        raise Refused(f"step {step.id!r}: {error.message}; `try` knows ${{item.*}} and "
                      "${env.*} only") from error


def call(step: Step, params: Any, ctx: StepContext) -> Any:
    """Run the step function once, sync or async, as the engine would."""
    if step.type.is_async:
        return asyncio.run(step.type.function(params, ctx))
    return step.type.function(params, ctx)
