"""The durable workflow: one per work item, each recipe step a checkpointed DBOS step.

A workflow's id derives from the recipe and the item's key, so enqueueing the same item again
(a second run, the same PDF dropped twice) returns the first workflow instead of a new one.
A crash resumes after the last checkpointed step.
"""

from __future__ import annotations

from typing import Any

import structlog
from dbos import DBOS

from bots.chaos import kill_point
from bots.engine.attempts import Stopwatch
from bots.engine.runtime import runtime
from bots.engine.stepper import StepRun, execute_step
from bots.errors import ItemError
from bots.recipe import Recipe
from bots.steps.base import WorkItem


def workflow_id(recipe: str, item_key: str, *, dry_run_id: str | None = None) -> str:
    """The item's durable id; dry runs get their own, so they never shadow a real run."""
    base = f"{recipe}/{item_key}"
    return f"dry-run/{dry_run_id}/{base}" if dry_run_id else base


@DBOS.workflow(name="bots.item")
async def item_workflow(recipe_name: str, item_data: dict[str, Any],
                        resume: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run the recipe's steps for one item; the outcome is data, never an exception.

    `resume` (a resubmission after an analyst's correction) gives the ledger's item id, the
    outputs kept from the earlier run and the step to start from.
    """
    rt = runtime()
    recipe = rt.recipe(recipe_name)
    item_id = (resume or {}).get("item_id") or DBOS.workflow_id or ""
    _record(item_id, status="running", run_id=rt.run_id)
    outcome: dict[str, Any] = {}
    try:
        outcome = await _run_steps(recipe, item_data, item_id, resume or {})
    finally:
        # a dry run leaves its forms filled but unsent: never hand that page on
        done = outcome.get("status") == "done" and not rt.dry_run
        await rt.close_session(item_id, reusable=done)
    _record(item_id, **_ledger_fields(outcome))
    kill_point("item.finished")
    rt.finished(DBOS.workflow_id or "").set()  # tells the batch right away; see wait_for_result
    return outcome


async def _run_steps(recipe: Recipe, item_data: dict[str, Any], item_id: str,
                     resume: dict[str, Any]) -> dict[str, Any]:
    data = item_data.get("data", {})
    if data.get("source_error"):
        return _source_failure(data["source_error"])
    outputs: dict[str, Any] = dict(resume.get("outputs", {}))
    provided = data.get("provides", {})
    for step in recipe.steps:
        if step.id in resume.get("outputs", {}):
            continue  # kept from the earlier run, or corrected by an analyst
        if step.id in provided:  # the source already carries this step's output
            outputs[step.id] = provided[step.id]
        else:
            result = await item_step(recipe.name, item_data, step.id, outputs, item_id)
            if not result["ok"]:
                return _exception_outcome(result, outputs)
            outputs[step.id] = result["output"]
        _record_values(item_id, outputs)
    return _done_outcome(recipe, outputs)


@DBOS.step(name="bots.step")
async def item_step(recipe_name: str, item_data: dict[str, Any], step_id: str,
                    outputs: dict[str, Any], item_id: str) -> dict[str, Any]:
    """One recipe step with its retries; checkpointed, so a resumed item skips it once done."""
    rt = runtime()
    recipe = rt.recipe(recipe_name)
    step = next(s for s in recipe.steps if s.id == step_id)
    log = structlog.get_logger().bind(run_id=rt.run_id, item_id=item_id, step_id=step_id,
                                      recipe=recipe_name)
    clock = Stopwatch()
    try:
        output, attempts = await execute_step(StepRun(rt, recipe, step, WorkItem(**item_data),
                                                      item_id, outputs))
    except ItemError as error:
        event = {"outcome": "exception", "code": error.code, "error": error.message,
                 "duration_s": clock.seconds, "attempts": error.details.get("attempts", 1)}
        _finished(log, item_id, step_id, event)
        return {"ok": False, "step": step_id, "error": error.as_dict()}
    _finished(log, item_id, step_id, {"outcome": "ok", "duration_s": clock.seconds,
                                      "attempts": attempts})
    return {"ok": True, "output": output}


def _finished(log: Any, item_id: str, step_id: str, event: dict[str, Any]) -> None:
    """The one `step.finished` event per step: in the run's log and beside the item."""
    log.info("step.finished", **event)
    rt = runtime()
    if not rt.dry_run:
        rt.ledger.add_event(item_id, "step.finished", step_id=step_id, **event)


def _done_outcome(recipe: Recipe, outputs: dict[str, Any]) -> dict[str, Any]:
    return {"status": "done", "reference": _reference(recipe, outputs), "outputs": outputs}


def _reference(recipe: Recipe, outputs: dict[str, Any]) -> str | None:
    """The target system's reference: `reference` from the last step that changed a system."""
    for step in reversed(recipe.steps):
        output = outputs.get(step.id)
        if step.type.side_effect and isinstance(output, dict) and output.get("reference"):
            return str(output["reference"])
    return None


def _source_failure(message: str) -> dict[str, Any]:
    return {"status": "exception", "code": "SOURCE_ROW_INVALID", "kind": "BusinessError",
            "message": message, "step": "source", "details": {}, "outputs": {}}


def _exception_outcome(result: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
    error = result["error"]
    partial = error["details"].pop("partial", None)
    if isinstance(partial, dict):  # what the failed step did read, for the analyst to complete
        outputs = {**outputs, result["step"]: partial}
    return {"status": "exception", "code": error["code"], "message": error["message"],
            "kind": error["kind"], "step": result["step"], "details": error["details"],
            "outputs": outputs}


def _ledger_fields(outcome: dict[str, Any]) -> dict[str, Any]:
    details = outcome.get("details") or {}
    outputs = outcome.get("outputs", {})
    return {"status": outcome.get("status", "exception"), "code": outcome.get("code"),
            "message": outcome.get("message"), "step": outcome.get("step"),
            "reference": outcome.get("reference"), "evidence_json": details.get("evidence", {}),
            "outputs_json": outputs, **_values(outputs)}


def _record(item_id: str, **fields: Any) -> None:
    rt = runtime()
    if not rt.dry_run:
        rt.ledger.update_item(item_id, **fields)


def _record_values(item_id: str, outputs: dict[str, Any]) -> None:
    """Keep the values found so far and where each came from, for the analysts."""
    _record(item_id, **_values(outputs))


def _values(outputs: dict[str, Any]) -> dict[str, Any]:
    """The ledger's values and provenance columns for a set of step outputs."""
    values = {sid: {k: v for k, v in out.items() if not k.startswith("_")}
              for sid, out in outputs.items() if isinstance(out, dict)}
    provenance = {sid: out["_provenance"] for sid, out in outputs.items()
                  if isinstance(out, dict) and "_provenance" in out}
    return {"values_json": values, "provenance_json": provenance}
