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
from structlog.contextvars import bound_contextvars

from bots.engine.batch import RunOptions, new_run_id
from bots.engine.batch_steps import BatchSteps
from bots.engine.book import LedgerBook
from bots.engine.durable import durable
from bots.engine.enqueue import wait_for_outcome
from bots.engine.host import Host, hosting
from bots.engine.recipe_of import recipe_of, stamp_of
from bots.engine.workflow import item_workflow
from bots.kernel import ApplicationError, Outcome
from bots.kernel.refs import references_in
from bots.ledger import Ledger, approvals
from bots.ledger.actions import ActionError, open_item
from bots.recipe import Recipe


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


def plan_resume(recipe: Recipe, item: dict[str, Any], corrections: dict[str, dict[str, str]],
                overrides: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Where the item starts again, with which outputs, and the codes approved past
    (``data.check_rules`` counts a failing rule with one of them as passed)."""
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
            "outputs": {sid: out for sid, out in outputs.items() if sid in kept},
            "overrides": sorted(overrides)}


def approved_codes(ledger: Ledger, item: dict[str, Any]) -> frozenset[str]:
    """The exception codes a person approved this item past (bots.ledger.approvals)."""
    return approvals.overrides(ledger, item["item_id"])


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
                     options: RunOptions) -> Outcome:
    """Correct and run one exception item again; its new outcome.

    It runs in this process, on the same DBOS lifecycle as a batch but listening to no
    recipe's queue, so a batch of the same recipe running meanwhile keeps all its items. The
    item is claimed first: while another process works it (a second resubmit, a batch), this
    one is refused at once (ItemBusy) and changes nothing.
    """
    ledger = Ledger(options.database_url)
    try:
        item = open_item(ledger, ident)
        recipe = recipe_of(item)  # the file it was queued from, wherever that is
        book = LedgerBook(ledger, options.state_dir)
        host = Host(options.run_id or new_run_id(), options.state_dir, book,
                    {recipe.name: recipe}, heal=options.heal)
        with bound_contextvars(run_id=host.run_id, recipe=recipe.name, item_id=item["item_id"]):
            plan_resume(recipe, item, corrections)  # a wrong correction stops here, at once
            host.prepare(recipe)
            try:
                async with durable(options.database_url) as worker, \
                        hosting(host, worker.lease):
                    host.book.claim(item["item_id"], worker.lease)
                    item = open_item(ledger, item["item_id"])  # still open, now that it is ours
                    resume = plan_resume(recipe, item, corrections, approved_codes(ledger, item))
                    batch = await _batch_set_up(recipe, host)
                    _audit(ledger, item, who, corrections, resume)
                    ledger.update_item(item["item_id"], **stamp_of(recipe).columns())  # runs it
                    outcome = await _run_again(host, ledger, item, resume)
                    await batch.run_after()
                    return outcome
            finally:
                await host.close()  # begun by hosting; finished here
    finally:
        ledger.close()


async def _batch_set_up(recipe: Recipe, host: Host) -> BatchSteps:
    """The recipe's before_items, run for this one item (a batch session's page needs its
    setup: Start pressed, a work list open); their failure refuses the resubmit, unchanged."""
    batch = BatchSteps(recipe, host)
    if not await batch.run_before():
        failed = batch.failed or {}
        raise ApplicationError(
            f"the recipe's before_items step '{failed.get('step')}' failed, so the item was "
            f"not resubmitted: {failed.get('message')}", code=str(failed.get("code")
                                                                 or "STEP_FAILED"))
    return batch


def _audit(ledger: Ledger, item: dict[str, Any], who: str,
           corrections: dict[str, dict[str, str]], resume: dict[str, Any]) -> None:
    """The retry, its corrections (before and after) in the item's audit trail."""
    before = {f"{s}.{f}": (item.get("outputs") or {}).get(s, {}).get(f)
              for s, fields in corrections.items() for f in fields}
    after = {f"{s}.{f}": v for s, fields in corrections.items() for f, v in fields.items()}
    overridden = f"; approved past {', '.join(resume['overrides'])}" if resume.get(
        "overrides") else ""
    ledger.add_audit(item["item_id"], who, "retry", before=before, after=after,
                     note=f"resubmitted from step {resume['from_step']}{overridden}")
    structlog.get_logger().info("item.retry", who=who, from_step=resume["from_step"],
                                fields=sorted(after))


def _work_item(item: dict[str, Any]) -> dict[str, Any]:
    """The item's WorkItem data (rebuilt from its columns for rows older than item_json)."""
    return item.get("item") or {"key": item["item_key"], "name": item["name"],
                                "path": item["path"], "arrived_at": item["arrived_at"]}


async def _run_again(host: Host, ledger: Ledger, item: dict[str, Any],
                     resume: dict[str, Any]) -> Outcome:
    """The item's resubmission workflow (its own id per retry), started and waited for."""
    retries = sum(entry["action"] == "retry"
                  for entry in ledger.audit_trail(item["item_id"]))
    wid = f"{item['item_id']}#retry{retries}"
    host.completions.expect(wid)
    with SetWorkflowID(wid):
        handle = await DBOS.start_workflow_async(item_workflow, item["recipe"],
                                                 _work_item(item), resume)
    return await wait_for_outcome(host.completions, wid, handle)
