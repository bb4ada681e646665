"""Running an exception item again after an analyst's correction, keeping what was done.

Corrections name step outputs (`claim.amount=1250.00`). A corrected step is not run again: the
analyst's values stand in for it. The item resumes at the earliest step that failed or that uses
a corrected value; the steps before it keep their outputs. The side-effect guard works on the
ledger's item id, so a claim that was keyed before is found by the check, never keyed twice.
"""

from __future__ import annotations

from typing import Any

import structlog
from dbos import DBOS, SetWorkflowID

from bots.engine.batch import RESULT_POLL_S, RunOptions, launch_dbos, new_run_id, register_queue
from bots.engine.runtime import Runtime, set_runtime
from bots.ledger import Ledger
from bots.ledger.actions import ActionError, open_item
from bots.recipe import Recipe, load_recipe
from bots.recipe.refs import references_in


def parse_corrections(pairs: list[str]) -> dict[str, dict[str, str]]:
    """`step.field=value` pairs as {step: {field: value}}."""
    corrections: dict[str, dict[str, str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        step, dot, field = name.strip().partition(".")
        if not sep or not dot or not step or not field:
            raise ActionError(f"'{pair}' is not step.field=value (e.g. claim.amount=1250.00)")
        corrections.setdefault(step, {})[field] = value.strip()
    return corrections


def plan_resume(recipe: Recipe, item: dict[str, Any],
                corrections: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Where the item starts again and with which outputs."""
    ids = [step.id for step in recipe.steps]
    unknown = sorted(set(corrections) - set(ids))
    if unknown:
        raise ActionError(f"no step {unknown[0]!r} in recipe {recipe.name}; steps: {ids}")
    outputs = {sid: dict(out) for sid, out in (item.get("outputs") or {}).items()}
    for step_id, fields in corrections.items():
        outputs[step_id] = {**outputs.get(step_id, {}), **fields}
    changed = {(step, field) for step, values in corrections.items() for field in values}
    start = _first_to_run(recipe, item.get("step"), changed)
    kept = ids[:start] + list(corrections)
    return {"item_id": item["item_id"], "from_step": ids[start] if start < len(ids) else None,
            "outputs": {sid: out for sid, out in outputs.items() if sid in kept}}


def _first_to_run(recipe: Recipe, failed: str | None, corrected: set[tuple[str, str]]) -> int:
    """The earliest step that failed or uses a corrected value (corrected steps never rerun)."""
    ids = [step.id for step in recipe.steps]
    corrected_steps = {step for step, _ in corrected}
    candidates = [ids.index(failed)] if failed in ids and failed not in corrected_steps else []
    for index, step in enumerate(recipe.steps):
        used = {(ref.root, ref.path[0]) for ref in references_in(step.spec.with_) if ref.path}
        if step.id not in corrected_steps and used & corrected:
            candidates.append(index)
    return min(candidates, default=len(ids))


async def retry_item(ident: str, who: str, corrections: dict[str, dict[str, str]],
                     options: RunOptions) -> dict[str, Any]:
    """Correct and run one exception item again; its new outcome."""
    ledger = Ledger(options.database_url)
    item = open_item(ledger, ident)
    recipe = load_recipe(item["recipe"])
    resume = plan_resume(recipe, item, corrections)
    before = {f"{s}.{f}": (item.get("outputs") or {}).get(s, {}).get(f)
              for s, fields in corrections.items() for f in fields}
    after = {f"{s}.{f}": v for s, fields in corrections.items() for f, v in fields.items()}
    ledger.add_audit(item["item_id"], who, "retry", before=before, after=after,
                     note=f"resubmitted from step {resume['from_step']}")
    structlog.get_logger().info("item.retry", item_id=item["item_id"], who=who,
                                from_step=resume["from_step"], fields=sorted(after))
    try:
        return await _run_again(recipe, item, resume, ledger, options)
    finally:
        ledger.close()


def _work_item(item: dict[str, Any]) -> dict[str, Any]:
    """The item's WorkItem data (rebuilt from its columns for rows older than item_json)."""
    return item.get("item") or {"key": item["item_key"], "name": item["name"],
                                "path": item["path"], "arrived_at": item["arrived_at"]}


async def _run_again(recipe: Recipe, item: dict[str, Any], resume: dict[str, Any],
                     ledger: Ledger, options: RunOptions) -> dict[str, Any]:
    rt = Runtime(ledger=ledger, run_id=options.run_id or new_run_id(),
                 state_dir=options.state_dir, recipes={recipe.name: recipe})
    set_runtime(rt)
    attempt = sum(1 for entry in ledger.audit_trail(item["item_id"]) if entry["action"] == "retry")
    lease = launch_dbos(options.database_url)
    try:
        queue = await register_queue(recipe, options)
        with SetWorkflowID(f"{item['item_id']}#retry{attempt}"):
            from bots.engine.workflow import item_workflow

            handle = await queue.enqueue_async(item_workflow, recipe.name, _work_item(item),
                                               resume)
        outcome: dict[str, Any] = await handle.get_result(polling_interval_sec=RESULT_POLL_S)
        return outcome
    finally:
        await rt.close()
        DBOS.destroy(destroy_registry=False)
        if lease is not None:
            lease.close()
