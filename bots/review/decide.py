"""The item page's decisions: correct, approve past a rule, fix a wrong source, retry.

Each checks what the form sent against what the item allows (only document values take an
ordinary correction, typed values are checked as typed, only the code the item stopped with
can be approved), writes its audit entry, then starts the resubmit in the background
(bots.review.background) and answers at once with a flash message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool

from bots.ledger import Ledger, actions
from bots.ledger import approvals as ledger_approvals
from bots.review import background
from bots.review.decisions import SYSTEM, failure_kind, kinds_for, recipe_for, stopping_rules
from bots.review.retry import FIELD_NAME, BadCorrection
from bots.review.state import ReviewState
from bots.review.value_kinds import DOCUMENT, check_typed
from bots.review.value_rows import value_rows

ACTIONS = ("retry", "rerun", "approve", "confirm-approval", "source-fix")


async def decide(action: str, item_id: str, who: str, fields: Mapping[str, str],
                 app_state: ReviewState) -> tuple[str, str]:
    """Carry out one decision; (kind, flash text). BadCorrection or BotError when refused."""
    item, rows = await run_in_threadpool(_item_and_rows, app_state, item_id)
    if action == "retry":
        changes = corrections(rows, fields)
        if not changes and fields.get("unchanged") != "1":
            return "error", ("Nothing was changed; correct a value, or tick 'resubmit "
                             "unchanged' to run the item again as it is.")
        return await _start(app_state, item["item_id"], changes, who, "retry")
    if action == "rerun":
        return await _start(app_state, item["item_id"], [], who, "rerun")
    if action == "source-fix":
        change = await run_in_threadpool(_source_fix, app_state.ledger, item, rows, who, fields)
        return await _start(app_state, item["item_id"], [change], who, "source-fix")
    if action == "approve":
        state = await run_in_threadpool(request_approval, app_state, item["item_id"], who,
                                        fields.get("reason", ""))
        if state == ledger_approvals.PENDING:
            return "ok", "Approval requested: a second person must confirm it (four eyes)."
        return await _start(app_state, item["item_id"], [], who, "approve")
    await run_in_threadpool(ledger_approvals.confirm_approval, app_state.ledger,
                            item["item_id"], who)
    return await _start(app_state, item["item_id"], [], who, "approve")


async def _start(app_state: ReviewState, item_id: str, changes: list[str], who: str,
                 action: str) -> tuple[str, str]:
    return await run_in_threadpool(background.start, app_state, item_id, changes, who, action)


def _item_and_rows(app_state: ReviewState, item_id: str
                   ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    item = actions.open_item(app_state.ledger, item_id)
    kinds = kinds_for(recipe_for(item, app_state.project_root))
    return item, value_rows(item.get("values") or {}, item.get("provenance") or {}, kinds)


def request_approval(app_state: ReviewState, item_id: str, who: str, reason: str) -> str:
    """Approve the item past the rule that stopped it: APPLIED, or PENDING above the rule's
    four-eyes threshold. Refused when no rule of the item's code failed, or it forbids it."""
    item = actions.open_item(app_state.ledger, item_id)
    recipe = recipe_for(item, app_state.project_root)
    if failure_kind(item, recipe) == SYSTEM:
        raise BadCorrection(f"{item['code']} is a system failure: retry the item instead")
    rules = stopping_rules(item, recipe)
    if not rules:
        raise BadCorrection(f"no business rule of code {item['code']} stopped this item; only "
                            "an exception raised by a rule check can be approved")
    if not all(rule["allowed"] for rule in rules):
        raise BadCorrection(f"the recipe does not allow approving past {item['code']} "
                            f"('{rules[0]['name']}'); correct, resolve or reject the item")
    summary = {**rules[0], "rules": rules} if len(rules) > 1 else rules[0]
    return ledger_approvals.request_approval(
        app_state.ledger, item["item_id"], who, reason, summary,
        needs_second=any(rule["needs_second"] for rule in rules))


def corrections(rows: list[dict[str, Any]], form: Mapping[str, str]) -> list[str]:
    """`step.field=value` for each document value the form changed, checked as typed; a
    reference value sent here is refused (it takes the 'source was wrong' correction)."""
    changes, problems = [], []
    for row in rows:
        sent = form.get(row["name"])
        if not isinstance(sent, str) or sent.strip() == row["value"].strip():
            continue
        if not row["editable"]:
            problems.append(f"{row['name']} is read from {row['kind']} data: use 'the source "
                            "was wrong' to correct it, with a reason")
            continue
        problems.append(check_typed(row["name"], sent, row["input"]))
        changes.append(f"{row['name']}={sent.strip()}")
    changes += _extra(rows, form)
    problems = [problem for problem in problems if problem]
    if problems:
        raise BadCorrection("; ".join(problems))
    return changes


def _extra(rows: list[dict[str, Any]], form: Mapping[str, str]) -> list[str]:
    """A value the document lacked (a missing field), named step.field by the analyst."""
    name = str(form.get("extra_name", "")).strip()
    if not name:
        return []
    if not FIELD_NAME.match(name):
        raise BadCorrection(f"'{name}' is not step.field (e.g. claim.amount)")
    kinds = {row["step"]: row["kind"] for row in rows}
    if kinds.get(name.split(".", 1)[0], DOCUMENT) != DOCUMENT:
        raise BadCorrection(f"{name} is read from reference data: use 'the source was wrong'")
    return [f"{name}={str(form.get('extra_value', '')).strip()}"]


def _source_fix(ledger: Ledger, item: dict[str, Any], rows: list[dict[str, Any]], who: str,
                form: Mapping[str, str]) -> str:
    """Record that a reference source (register, legacy screen) was wrong for this value:
    the audited correction, with its reason; the `step.field=value` to resubmit with."""
    name, value = form.get("field", "").strip(), form.get("value", "").strip()
    reason = form.get("reason", "").strip()
    row = next((row for row in rows if row["name"] == name and row["correctable"]
                and row["kind"] != DOCUMENT), None)
    if row is None:
        raise BadCorrection(f"'{name}' is not a value read from reference data of this item")
    if not reason:
        raise BadCorrection("saying the source was wrong needs a reason (what is right, and "
                            "who confirmed it)")
    problem = check_typed(name, value, row["input"])
    if problem:
        raise BadCorrection(problem)
    ledger.add_audit(item["item_id"], who, "source-fix", before={name: row["value"]},
                     after={name: value}, note=reason)
    return f"{name}={value}"


async def bulk_retry(item_ids: list[str], who: str, app_state: ReviewState
                     ) -> tuple[str, str]:
    """Retry each selected system failure in the background (the queue's bulk action); the
    others are named and left alone, one message for all."""
    started: list[str] = []
    skipped: list[str] = []
    for item_id in item_ids:
        try:
            item = await run_in_threadpool(actions.open_item, app_state.ledger, item_id)
        except actions.ActionError:
            skipped.append(item_id)
            continue
        recipe = await run_in_threadpool(recipe_for, item, app_state.project_root)
        if failure_kind(item, recipe) != SYSTEM:
            skipped.append(item["name"])
            continue
        kind, _ = await run_in_threadpool(background.start, app_state, item["item_id"], [],
                                          who, "rerun")
        (started if kind == "ok" else skipped).append(item["name"])
    text = f"Retry started for {len(started)} item(s)."
    if skipped:
        text += (f" Not retried (not an open system failure, or already running): "
                 f"{', '.join(skipped)}.")
    return ("ok" if started else "error"), text
