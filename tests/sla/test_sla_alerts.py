"""Alerts: once per (item, state), always logged, POSTed to a real local webhook when set."""

from __future__ import annotations

from datetime import timedelta

import httpx
from structlog.testing import capture_logs

from bots.secrets import MASK
from bots.sla import raise_alerts, report
from bots.sla.goal import ServiceGoal

GOALS = {"claims-intake": ServiceGoal(due_after="2 business days", at_risk_before="8 hours")}


def backlog(add_item):
    """One breached, one at-risk and one on-time item at the tests' clock (Wed 12:00)."""
    add_item("late.pdf", "2024-05-03T09:00:00+00:00", status="exception",
             code="POLICY_NOT_FOUND")
    add_item("soon.pdf", "2024-05-06T16:00:00+00:00")
    add_item("fresh.pdf", "2024-05-08T11:00:00+00:00")


def check(ledger, goals, now, post=httpx.post):
    with capture_logs() as logs:
        alerts = raise_alerts(ledger, report(ledger, None, goals, now), goals, now, post=post)
    return alerts, logs


def with_webhook(url):
    return {"claims-intake": GOALS["claims-intake"].model_copy(update={"alert_webhook": url})}


def test_alerts_are_logged_once_per_item_and_state(ledger, add_item, now):
    backlog(add_item)
    alerts, logs = check(ledger, GOALS, now)
    assert sorted((a["name"], a["state"], a["webhook"]) for a in alerts) == [
        ("late.pdf", "breached", "none"), ("soon.pdf", "at_risk", "none")]
    logged = [entry for entry in logs if entry["event"] == "sla.alert"]
    assert sorted((e["name"], e["state"], e["recipe"], e["item_id"]) for e in logged) == [
        ("late.pdf", "breached", "claims-intake", "claims-intake/late.pdf"),
        ("soon.pdf", "at_risk", "claims-intake", "claims-intake/soon.pdf")]
    assert {e["due_at"] for e in logged} == {"2024-05-07T09:00:00+00:00",
                                             "2024-05-08T16:00:00+00:00"}
    assert check(ledger, GOALS, now + timedelta(minutes=5)) == ([], [])


def test_an_item_that_gets_worse_is_alerted_again_in_its_new_state(ledger, add_item, now):
    backlog(add_item)
    check(ledger, GOALS, now)
    alerts, _ = check(ledger, GOALS, now + timedelta(hours=5))  # soon.pdf is now overdue
    assert [(a["name"], a["state"]) for a in alerts] == [("soon.pdf", "breached")]
    kept = ledger.events("claims-intake/soon.pdf")
    assert [(e["event"], e["data"]["state"]) for e in kept] == [
        ("sla.alert", "at_risk"), ("sla.alert", "breached")]


def test_alerts_are_posted_as_json_to_the_webhook(ledger, add_item, now, receiver):
    backlog(add_item)
    alerts, _ = check(ledger, with_webhook(receiver.url), now)
    assert [a["webhook"] for a in alerts] == ["sent", "sent"]
    assert {(b["path"], b["content_type"]) for b in receiver.bodies} == {
        ("/hooks/sla", "application/json")}
    late = next(b["json"] for b in receiver.bodies if b["json"]["name"] == "late.pdf")
    assert late == {"event": "sla.alert", "recipe": "claims-intake",
                    "item_id": "claims-intake/late.pdf", "name": "late.pdf",
                    "state": "breached", "due_at": "2024-05-07T09:00:00+00:00",
                    "code": "POLICY_NOT_FOUND", "at": "2024-05-08T12:00:00+00:00"}
    check(ledger, with_webhook(receiver.url), now)
    assert len(receiver.bodies) == 2  # nothing sent twice


def test_a_failing_webhook_is_logged_and_stops_nothing(ledger, add_item, now, receiver):
    backlog(add_item)
    receiver.status = 500
    alerts, logs = check(ledger, with_webhook(receiver.url), now)
    assert [a["webhook"] for a in alerts] == ["failed", "failed"]
    assert len(receiver.bodies) == 2
    failures = [e for e in logs if e["event"] == "sla.webhook_failed"]
    assert len(failures) == 2 and "500" in failures[0]["error"]
    assert len([e for e in logs if e["event"] == "sla.alert"]) == 2
    assert ledger.events("claims-intake/late.pdf")[0]["data"]["webhook"] == "failed"


def test_an_unreachable_webhook_is_logged_and_stops_nothing(ledger, add_item, now):
    backlog(add_item)
    closed = "http://127.0.0.1:9/hooks/sla"  # the discard port: nothing listens
    alerts, logs = check(ledger, with_webhook(closed), now)
    assert [a["webhook"] for a in alerts] == ["failed", "failed"]
    assert {e["error"].split(":")[0] for e in logs if e["event"] == "sla.webhook_failed"} == {
        "ConnectError"}


def test_the_webhook_can_come_from_the_environment_and_stays_secret(ledger, add_item, now,
                                                                    receiver, monkeypatch):
    backlog(add_item)
    monkeypatch.setenv("SLA_TEST_HOOK", receiver.url + "?token=t0ps3cret")
    alerts, _ = check(ledger, with_webhook("${env.SLA_TEST_HOOK}"), now)
    assert [a["webhook"] for a in alerts] == ["sent", "sent"]
    assert receiver.bodies[0]["path"] == "/hooks/sla?token=t0ps3cret"
    receiver.status = 404
    ledger.update_item("claims-intake/fresh.pdf", status="exception")
    _, logs = check(ledger, with_webhook("${env.SLA_TEST_HOOK}"), now + timedelta(days=3))
    failure = next(e for e in logs if e["event"] == "sla.webhook_failed")
    assert "404" in failure["error"] and MASK in failure["error"]
    assert "t0ps3cret" not in failure["error"]


def test_an_unset_webhook_variable_is_logged_and_alerts_still_raise(ledger, add_item, now,
                                                                   monkeypatch):
    backlog(add_item)
    monkeypatch.delenv("SLA_TEST_UNSET", raising=False)
    alerts, logs = check(ledger, with_webhook("${env.SLA_TEST_UNSET}"), now)
    assert [a["webhook"] for a in alerts] == ["none", "none"]
    assert [e["missing"] for e in logs if e["event"] == "sla.webhook_unset"] == [
        ["SLA_TEST_UNSET"]]
