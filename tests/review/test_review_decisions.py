"""Decisions, not data edits: the rule check's overrides, approvals with four eyes, one
background resubmit per item, the value kinds and typed checks (real ledger, real step)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import BusinessError
from bots.ledger import Ledger, approvals, resubmits
from bots.ledger.actions import ActionError
from bots.review.decisions import failure_kind, recipe_for, stopping_rules
from bots.review.value_kinds import check_typed, input_for
from bots.steps.data.check_rules import Params, check_rules
from tests.review.review_helpers import ROOT, StateFolder

RULES: list[dict[str, Any]] = [
    {"code": "POLICY_LAPSED", "name": "Status", "value": "ACTIVE", "equals": "ACTIVE"},
    {"code": "AMOUNT_OVER_LIMIT", "name": "Amount", "value": "9400.00", "at_most": "5000.00"},
    {"code": "PAYEE_MISSING", "name": "Payee", "value": "", "not_empty": True}]


def run_rules(rules: list[dict[str, Any]], overrides: frozenset[str] = frozenset()) -> Any:
    ctx = StepContext(run_id="t", item=WorkItem(key="k", name="k"), step_id="rules",
                      overrides=overrides)
    return check_rules.function(Params.model_validate({"rules": rules}), ctx)


def test_an_overridden_rule_passes_with_the_override_recorded_and_the_others_still_count():
    with pytest.raises(BusinessError) as stopped:
        run_rules(RULES)
    assert stopped.value.code == "AMOUNT_OVER_LIMIT"
    with pytest.raises(BusinessError) as next_rule:
        run_rules(RULES, frozenset({"AMOUNT_OVER_LIMIT"}))
    assert next_rule.value.code == "PAYEE_MISSING"  # the other rules are still checked
    output = run_rules(RULES[:2], frozenset({"AMOUNT_OVER_LIMIT"}))
    assert output["_overridden"] == [{
        "code": "AMOUNT_OVER_LIMIT", "name": "Amount", "check": "at_most", "value": "9400.00",
        "bound": "5000.00", "message": "Amount 9400.00 exceeds the limit 5000.00"}]


def test_a_rule_that_forbids_approval_is_not_passed_by_an_override():
    rule = {**RULES[1], "approve": {"allowed": False}}
    with pytest.raises(BusinessError):
        run_rules([rule], frozenset({"AMOUNT_OVER_LIMIT"}))


def over_limit(state: StateFolder) -> tuple[Ledger, str]:
    return state.ledger(), state.ids["over_limit"]


def test_an_approval_applies_below_the_threshold_and_names_rule_and_reason(state):
    ledger, item_id = over_limit(state)
    rule = {"code": "AMOUNT_OVER_LIMIT", "name": "Amount", "value": "9400.00",
            "bound": "5000.00"}
    assert approvals.request_approval(ledger, item_id, "ana", "goodwill", rule,
                                      needs_second=False) == approvals.APPLIED
    assert approvals.overrides(ledger, item_id) == frozenset({"AMOUNT_OVER_LIMIT"})
    entry = ledger.audit_trail(item_id)[-1]
    assert (entry["who"], entry["action"], entry["note"]) == ("ana", "approve", "goodwill")
    assert '"bound": "5000.00"' in entry["after_json"]


def test_above_the_threshold_an_approval_waits_for_a_second_person_not_the_requester(state):
    ledger, item_id = over_limit(state)
    rule = {"code": "AMOUNT_OVER_LIMIT", "name": "Amount", "value": "9400.00"}
    assert approvals.request_approval(ledger, item_id, "ana", "known customer", rule,
                                      needs_second=True) == approvals.PENDING
    assert approvals.overrides(ledger, item_id) == frozenset()  # nothing applied yet
    with pytest.raises(ActionError, match="second person"):
        approvals.confirm_approval(ledger, item_id, "ana")
    with pytest.raises(ActionError, match="already waiting"):
        approvals.request_approval(ledger, item_id, "bob", "again", rule, needs_second=True)
    confirmed = approvals.confirm_approval(ledger, item_id, "bob")
    assert (confirmed["state"], confirmed["confirmed_by"]) == ("applied", "bob")
    assert approvals.overrides(ledger, item_id) == frozenset({"AMOUNT_OVER_LIMIT"})
    assert [e["action"] for e in ledger.audit_trail(item_id)][-2:] == [
        "approval-requested", "approval-confirmed"]


def test_only_the_code_the_item_stopped_with_and_with_a_reason_can_be_approved(state):
    ledger, item_id = over_limit(state)
    with pytest.raises(ActionError, match="only the code the item stopped with"):
        approvals.request_approval(ledger, item_id, "ana", "why", {"code": "POLICY_LAPSED"},
                                   needs_second=False)
    with pytest.raises(ActionError, match="needs a reason"):
        approvals.request_approval(ledger, item_id, "ana", " ", {"code": "AMOUNT_OVER_LIMIT"},
                                   needs_second=False)
    assert approvals.overrides(ledger, item_id) == frozenset()


def test_one_background_resubmit_per_item_until_it_finishes(tmp_path: Path):
    ledger = Ledger(f"sqlite:///{tmp_path / 'bots.sqlite'}")
    assert resubmits.begin(ledger, "r/1", "ana", "retry")
    assert not resubmits.begin(ledger, "r/1", "bob", "retry")  # the double click
    assert resubmits.begin(ledger, "r/2", "bob", "retry")  # another item is free
    running = resubmits.current(ledger, "r/1")
    assert running is not None and (running["state"], running["who"]) == ("running", "ana")
    resubmits.finish(ledger, "r/1", {"status": "done", "reference": "CLM-9"})
    finished = resubmits.current(ledger, "r/1")
    assert finished is not None and finished["result"]["reference"] == "CLM-9"
    assert resubmits.begin(ledger, "r/1", "bob", "retry")


@pytest.mark.parametrize(("value", "form_input", "text", "problem"), [
    ("2026-07-19", input_for("", [], "2026-07-19"), "2026-02-30", "must be a date"),
    ("9400.00", input_for("", [], "9400.00"), "9.400,00", "must be a number"),
    ("OTH", input_for("", ["WAT", "OTH"]), "XYZ", "must be one of WAT, OTH"),
    ("OTH", input_for("", ["WAT", "OTH"]), "WAT", ""),
    ("1250.00", input_for("amount", []), "1300.5", ""),
])
def test_typed_values_are_checked_on_the_server_naming_the_field(value, form_input, text,
                                                                 problem):
    said = check_typed("claim.x", text, form_input)
    assert (problem in said and "claim.x" in said) if problem else said == ""


def over_limit_item(amount: str) -> dict[str, Any]:
    outputs = {"claim": {"amount": amount, "loss_date": "2026-07-19"},
               "policy": {"coverage_limit": "5000.00", "effective_date": "2026-01-01",
                          "expiry_date": "2026-12-31"},
               "inquiry": {"status": "ACTIVE"}}
    return {"recipe": "claims-intake", "status": "exception", "code": "AMOUNT_OVER_LIMIT",
            "step": "rules", "outputs": outputs, "item": {}}


def test_the_rule_that_stopped_an_item_is_found_with_its_value_and_bound() -> None:
    recipe = recipe_for({"recipe": "claims-intake"}, ROOT)
    assert recipe is not None
    rules = stopping_rules(over_limit_item("9400.00"), recipe)
    assert [(r["name"], r["check"], r["value"], r["bound"]) for r in rules] == [
        ("Amount claimed", "at_most", "9400.00", "5000.00")]
    assert failure_kind(over_limit_item("9400.00"), recipe) == "business-rule"
    assert stopping_rules(over_limit_item("not a number"), recipe) == []  # no 500: no rule
    assert failure_kind({"code": "LOGIN_FAILED"}, recipe) == "system"
