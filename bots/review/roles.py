"""Who may do what on the item page, and what this server can start at all.

Analysts correct, retry, approve (request) and resolve; confirming an approval that waits for a
second person needs a supervisor, and never the one who requested it (the ledger refuses that
too). Actions that run the item again need the recipe's settings in this server's environment.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from bots.review.ground import resubmit_problem
from bots.review.session import current_person, require_role
from bots.review.state import ReviewState

NEEDS_ROLE = {"confirm-approval": "supervisor"}
RUNS_THE_ITEM = ("retry", "rerun", "source-fix", "approve", "confirm-approval")


def action_problem(request: Request, action: str, recipe: str,
                   app_state: ReviewState) -> str | None:
    """Why the signed-on person may not start ``action`` on an item of ``recipe`` here, or
    None when they may."""
    if current_person(request) is None:
        return "nobody is signed on; sign on and try again"
    role = NEEDS_ROLE.get(action)
    problem = require_role(request, role) if role else None
    if problem is None and action in RUNS_THE_ITEM:
        problem = resubmit_problem(app_state.missing_env, recipe, app_state.project_root)
    return problem


def may_confirm(request: Request, requested_by: str) -> bool:
    """Whether the signed-on person may confirm an approval ``requested_by`` someone: a
    supervisor who is another person (the page shows the confirm button only then)."""
    person = current_person(request)
    return person is not None and person.may("supervisor") and person.name != requested_by


async def refusal(request: Request, action: str, item_id: str,
                  app_state: ReviewState) -> str | None:
    """``action_problem`` for an item of the ledger (its recipe looked up; an unknown item is
    left to the action, which says so)."""
    item = await run_in_threadpool(app_state.ledger.item, item_id)
    recipe = str(item["recipe"]) if item else ""
    return action_problem(request, action, recipe, app_state)
