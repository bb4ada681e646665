"""End-of-run report steps (a results spreadsheet, ...) over every item of the recipe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import structlog

from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import BotError
from bots.kernel.refs import resolve
from bots.ledger import Ledger
from bots.recipe import Recipe
from bots.secrets import EnvScope


def item_records(ledger: Ledger, recipe: str) -> list[dict[str, Any]]:
    """Every item of the recipe as report steps see it."""
    return [_record(row) for row in ledger.find_items(recipe=recipe)]


def _record(row: dict[str, Any]) -> dict[str, Any]:
    item = WorkItem(key=row["item_key"], name=row["name"], path=row["path"],
                    arrived_at=row["arrived_at"])
    return {"item": item.as_refs(), "item_id": row["item_id"], "status": row["status"],
            "code": row["code"], "message": row["message"], "step": row["step"],
            "reference": row["reference"], "outputs": _outputs(row),
            "updated_at": row["updated_at"]}


def _outputs(row: dict[str, Any]) -> dict[str, Any]:
    """Each step's values, with what the step said about them (`_layout`, ...) once the item
    ended (values alone while it runs), so a report may show the layout a document matched."""
    values, ended = row["values"] or {}, row.get("outputs") or {}
    return {step: {**(ended.get(step) or {}), **fields} if isinstance(fields, dict) else fields
            for step, fields in values.items()}


def write_reports(recipe: Recipe, run_id: str, ledger: Ledger,
                  batch: dict[str, Any] | None = None, state_dir: Path = Path("state")) -> None:
    """Run each report step; a failing report is logged, never fatal to the run.

    `batch`: the before_items/after_items outputs, read as ``${batch.<id>.<field>}``;
    `state_dir`: the run's state folder, where a report's relative path leads.
    """
    if not recipe.reports:  # every item of the recipe, read for nothing at every run's end
        return
    records = item_records(ledger, recipe.name)
    log = structlog.get_logger()
    for index, (spec, step_type) in enumerate(recipe.reports):
        ctx = StepContext(run_id=run_id, item=WorkItem(key="report", name="report"),
                          step_id=f"report[{index}]", items=records, state_dir=state_dir)
        try:  # a batch value missing (after_items failed) fails this report only
            values = resolve(spec.with_, {"env": EnvScope(recipe.model.secrets),
                                          "batch": batch or {}})
            result = step_type.function(step_type.params.model_validate(values), ctx)
            log.info("report.written", uses=spec.uses, result=result)
        except (BotError, ValueError, OSError) as error:
            log.error("report.failed", uses=spec.uses, error=str(error))

