"""Which earlier system failures a run retries by itself, and from which step: pure decisions.

A run judges each open exception of its recipe against the recipe's ``settings.retry_failed``:
a system failure (an ApplicationError: retries exhausted, sign-on refused, a timeout...) that
was retried automatically fewer than ``times`` times and ended at least ``after_s`` ago is due;
one that is not old enough waits for a later run; one past the limit is left for a person. A
business exception (the data is wrong) is never retried by a run: retrying cannot change it.
The reading of the ledger and DBOS that feeds these decisions is ``bots.engine.auto_retry``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bots.engine.breaker import CREDENTIAL_CODES
from bots.recipe import Recipe
from bots.recipe.model import RetryFailed

# A person must look at these whatever the policy says: "a submit may have happened and no
# check could tell" is answered by looking at the target system, not by trying again.
NEVER_AUTOMATIC = frozenset({"POSSIBLE_DUPLICATE"})


@dataclass(frozen=True)
class Failed:
    """An open exception of the recipe, with what the policy needs to judge it."""

    item_id: str
    item_key: str
    code: str
    system: bool  # ended with a system failure (ApplicationError), not a business one
    ended_at: datetime
    retried: int = 0  # automatic retries so far (the audit trail's "auto-retry" entries)
    pending: bool = False  # its last automatic retry is still queued or running (a run stopped)
    assigned: bool = False  # a person has taken it: it is theirs now

    @property
    def attempt(self) -> int:
        """The number of the automatic retry a run starts (or resumes) for it."""
        return self.retried if self.pending else self.retried + 1


@dataclass(frozen=True)
class Choice:
    """The policy's verdict on a recipe's open system failures."""

    due: list[Failed] = field(default_factory=list)  # retried (or resumed) by this run
    waiting: list[Failed] = field(default_factory=list)  # failed less than after_s ago
    exhausted: list[Failed] = field(default_factory=list)  # retried `times` times: a person's


def choose(failures: list[Failed], policy: RetryFailed, at: datetime) -> Choice:
    """Sort the open exceptions into due, waiting and left for a person (business exceptions,
    assigned items and codes the policy leaves out are in none of them)."""
    choice = Choice()
    for failed in failures:
        if failed.pending:  # a run began this retry and stopped: finish it, whatever the policy
            choice.due.append(failed)
        elif not _automatic(failed, policy):
            continue
        elif failed.retried >= policy.times:
            choice.exhausted.append(failed)
        elif at - failed.ended_at < timedelta(seconds=policy.after_s):
            choice.waiting.append(failed)
        else:
            choice.due.append(failed)
    return choice


def _automatic(failed: Failed, policy: RetryFailed) -> bool:
    """Whether the policy covers this failure at all."""
    if not failed.system or failed.assigned or failed.code in NEVER_AUTOMATIC:
        return False
    return not policy.codes or failed.code in policy.codes


def probe_first(due: list[Failed]) -> tuple[list[Failed], list[Failed]]:
    """(start now, hold back): of the credentials refusals, one is retried first (a retry a
    stopped run left pending, if there is one); the others wait until an item of the run is
    done (the sign-on works again). A password still wrong then costs one refused sign-on per
    run, not one per item: accounts lock after a few."""
    refused = [failed for failed in due if failed.code in CREDENTIAL_CODES]
    probing = any(failed.pending for failed in refused)
    held = [failed for failed in refused if not failed.pending][0 if probing else 1:]
    return [failed for failed in due if failed not in held], held


def resume_plan(recipe: Recipe, row: dict[str, Any]) -> dict[str, Any]:
    """Where an automatic retry starts: at the step that failed, with the outputs of the steps
    before it kept (as `exceptions retry` without corrections does); the first step when the
    failure was outside any step. A side effect done before is found by its guard, never redone.
    """
    ids = [step.id for step in recipe.steps]
    start = ids.index(row["step"]) if row.get("step") in ids else 0
    kept = set(ids[:start])
    outputs = {sid: out for sid, out in (row.get("outputs") or {}).items() if sid in kept}
    return {"item_id": row["item_id"], "from_step": ids[start] if ids else None,
            "outputs": outputs}


def work_item_data(row: dict[str, Any]) -> dict[str, Any]:
    """The item's WorkItem data, rebuilt from its columns for rows older than item_json."""
    return row.get("item") or {"key": row["item_key"], "name": row["name"],
                               "path": row["path"], "arrived_at": row["arrived_at"]}


def note(failed: Failed, policy: RetryFailed, run_id: str, from_step: str | None) -> str:
    """The audit trail's words for one automatic retry."""
    return (f"automatic retry {failed.attempt} of {policy.times} by run {run_id}, from step "
            f"{from_step or '-'} (was {failed.code})")
