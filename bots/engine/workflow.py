"""The durable workflow: one per work item, each recipe step a checkpointed DBOS step.

A workflow's id derives from the recipe and the item's key, so enqueueing the same item again
(a second run, the same PDF dropped twice) returns the first workflow instead of a new one.
A crash resumes after the last checkpointed step. The work itself is the item boundary's.
"""

from __future__ import annotations

from typing import Any

from dbos import DBOS

from bots.engine.boundary import ItemRun
from bots.engine.host import ready_host
from bots.kernel import WorkItem


def workflow_id(recipe: str, item_key: str, *, dry_run_id: str | None = None) -> str:
    """The item's durable id; dry runs get their own, so they never shadow a real run."""
    base = f"{recipe}/{item_key}"
    return f"dry-run/{dry_run_id}/{base}" if dry_run_id else base


@DBOS.workflow(name="bots.item")
async def item_workflow(recipe_name: str, item_data: dict[str, Any],
                        resume: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run the recipe's steps for one item; its outcome as data (see ``Outcome.as_data``).

    `resume` (a resubmission after an analyst's correction) gives the ledger's item id, the
    outputs kept from the earlier run and the step to start from.
    """
    host = await ready_host()
    async with host.slot():
        run = ItemRun(host, host.recipe(recipe_name), WorkItem.from_data(item_data),
                      DBOS.workflow_id or "", resume or {})
        return (await run.run()).as_data()
