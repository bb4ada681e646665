"""Items against a service goal: each state at its boundaries, the report, the run counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bots.sla import due_at, report, run_counts, state
from bots.sla.durations import iso, parse_time
from bots.sla.goal import ServiceGoal

GOAL = ServiceGoal(due_after="2 business days", at_risk_before="8 hours")
ARRIVED = "2024-05-03T10:00:00+00:00"  # a Friday: due Tuesday 10:00
DUE = parse_time("2024-05-07T10:00:00+00:00")


def item(status="queued", review_state="open", updated_at=None, **more):
    return {"item_id": "x", "name": "claim.pdf", "status": status, "review_state": review_state,
            "arrived_at": ARRIVED, "created_at": ARRIVED, "due_at": None,
            "updated_at": updated_at or ARRIVED, **more}


def test_due_time_skips_the_weekend():
    assert due_at(GOAL, ARRIVED) == "2024-05-07T10:00:00+00:00"
    assert due_at(ServiceGoal(due_after="36 hours"), ARRIVED) == "2024-05-04T22:00:00+00:00"


def test_an_item_without_arrival_time_is_refused_clearly():
    with pytest.raises(ValueError, match="pass arrived_at"):
        due_at(GOAL, "")


@pytest.mark.parametrize(("now", "expected"), [
    (DUE - timedelta(hours=8, seconds=1), "on_time"),
    (DUE - timedelta(hours=8), "at_risk"),
    (DUE, "at_risk"),
    (DUE + timedelta(seconds=1), "breached"),
])
def test_open_item_states_at_their_boundaries(now, expected):
    assert state(item(), GOAL, now) == expected
    assert state(item("exception", code="POLICY_NOT_FOUND"), GOAL, now) == expected


@pytest.mark.parametrize(("finished", "expected"), [
    (DUE, "met"), (DUE + timedelta(seconds=1), "missed")])
def test_finished_item_states_at_the_due_time(finished, expected):
    later = DUE + timedelta(days=30)
    assert state(item("done", updated_at=iso(finished)), GOAL, later) == expected
    resolved = item("exception", review_state="resolved", updated_at=iso(finished))
    assert state(resolved, GOAL, later) == expected
    rejected = item("exception", review_state="rejected", updated_at=iso(finished))
    assert state(rejected, GOAL, later) == expected


def test_a_stored_due_time_wins_over_the_computed_one():
    stored = item(due_at="2024-05-10T00:00:00+00:00")
    assert state(stored, GOAL, DUE + timedelta(days=1)) == "on_time"  # computed: breached
    assert state(item(arrived_at=""), GOAL, DUE + timedelta(seconds=1)) == "breached"


def test_report_counts_each_state_and_names_the_oldest_open_item(ledger, add_item, now):
    # now: Wednesday 2024-05-08 12:00; goal: 2 business days, at risk 8 hours before
    add_item("breached.pdf", "2024-05-03T09:00:00+00:00", status="exception",
             code="POLICY_NOT_FOUND")  # due Tue 09:00
    add_item("oldest.pdf", "2024-05-01T09:00:00+00:00")  # due Fri 05-03
    add_item("at-risk.pdf", "2024-05-06T16:00:00+00:00")  # due Wed 16:00
    add_item("on-time.pdf", "2024-05-08T08:00:00+00:00", status="running")  # due Fri 08:00
    add_item("met.pdf", "2024-05-06T09:00:00+00:00", status="done",
             updated_at="2024-05-07T09:00:00+00:00")
    add_item("missed.pdf", "2024-05-01T09:00:00+00:00", status="exception",
             review_state="resolved", updated_at="2024-05-06T09:00:00+00:00")
    add_item("other.pdf", "2024-05-01T09:00:00+00:00", recipe="order-entry")

    result = report(ledger, None, {"claims-intake": GOAL}, now)

    claims, orders = result["recipes"]
    assert claims["counts"] == {"on_time": 1, "at_risk": 1, "breached": 2, "met": 1, "missed": 1}
    assert claims["oldest_open"] == {
        "item_id": "claims-intake/oldest.pdf", "name": "oldest.pdf", "age_s": 7 * 86400 + 3 * 3600,
        "due_at": "2024-05-03T09:00:00+00:00", "state": "breached"}
    assert [(r["name"], r["state"]) for r in claims["open"]] == [
        ("oldest.pdf", "breached"), ("breached.pdf", "breached"), ("at-risk.pdf", "at_risk"),
        ("on-time.pdf", "on_time")]
    assert claims["open"][1]["code"] == "POLICY_NOT_FOUND"
    assert claims["open"][2]["due_in_s"] == 4 * 3600
    assert orders == {"recipe": "order-entry", "goal": None, "note": "no service goal",
                      "items": 1}
    assert [s["recipe"] for s in report(ledger, "order-entry", {"claims-intake": GOAL},
                                        now)["recipes"]] == ["order-entry"]


def test_run_counts_for_the_run_summary(ledger, add_item, now):
    add_item("late.pdf", "2024-05-01T09:00:00+00:00", status="exception")
    add_item("fresh.pdf", "2024-05-08T11:00:00+00:00")
    add_item("done.pdf", "2024-05-01T09:00:00+00:00", status="done")
    assert run_counts(ledger, "claims-intake", GOAL, now) == {
        "on_time": 1, "at_risk": 0, "breached": 1}
    assert run_counts(ledger, "order-entry", GOAL, now) == {
        "on_time": 0, "at_risk": 0, "breached": 0}
