"""The item page's actions over a real ledger: each writes the audit trail and redirects."""

from __future__ import annotations

import json
import time
from typing import Any

from starlette.testclient import TestClient

from bots.review.decide import corrections
from bots.review.retry import retry_command
from tests.review.review_helpers import StateFolder, csrf_of


def _post(client: TestClient, state: StateFolder, key: str, **form: str) -> Any:
    url = f"/items/{state.ids[key]}"
    token = csrf_of(client.get(url).text)
    return client.post(url, data={"csrf": token, "who": "ana", **form}, follow_redirects=False)


def _item(state: StateFolder, key: str) -> dict[str, Any]:
    ledger = state.ledger()
    try:
        item = ledger.item(state.ids[key]) or {}
        return {**item, "audit": ledger.audit_trail(state.ids[key])}
    finally:
        ledger.close()


def test_resolve_closes_the_item_and_audits_it(client: TestClient, state: StateFolder) -> None:
    response = _post(client, state, "over_limit", action="resolve", reference="CLM-77",
                     note="keyed by phone")
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/items/{state.ids['over_limit']}")
    item = _item(state, "over_limit")
    assert item["review_state"] == "resolved" and item["reference"] == "CLM-77"
    entry = item["audit"][-1]
    assert (entry["who"], entry["action"], entry["note"]) == ("ana", "resolve", "keyed by phone")
    page = client.get(response.headers["location"]).text
    assert "Resolved by hand." in page and "a1a1a1a1a1" not in client.get("/").text
    assert "Resolved by hand." not in client.get("/").text  # the message shows once


def test_reject_assign_and_comment_are_audited(client: TestClient, state: StateFolder) -> None:
    _post(client, state, "hostile", action="assign", to="bob")
    _post(client, state, "hostile", action="comment", text="asked the broker")
    _post(client, state, "hostile", action="reject", reason="duplicate of CLM-3")
    item = _item(state, "hostile")
    actions = [(entry["action"], entry["who"]) for entry in item["audit"]]
    assert actions == [("assign", "ana"), ("comment", "ana"), ("reject", "ana")]
    assert item["assignee"] == "bob" and item["review_state"] == "rejected"
    assert json.loads(item["audit"][0]["after_json"]) == {"assignee": "bob"}
    assert item["audit"][1]["note"] == "asked the broker"


def test_who_is_the_signed_on_person_not_a_typed_name(client: TestClient,
                                                      state: StateFolder) -> None:
    _post(client, state, "web", action="comment", text="looking", who="mallory")
    trail = state.ledger().audit_trail(state.ids["web"])
    assert [entry["who"] for entry in trail] == ["ana"]  # the session's person, never typed


def test_refused_action_says_why_and_changes_nothing(client: TestClient,
                                                     state: StateFolder) -> None:
    response = _post(client, state, "over_limit", action="resolve", reference="  ")
    page = client.get(response.headers["location"]).text
    assert "Resolve refused: resolving by hand needs the reference" in page
    assert _item(state, "over_limit")["audit"] == []


def test_retry_sends_only_changed_fields() -> None:
    rows = [{"name": name, "step": name.split(".")[0], "value": value, "editable": True,
             "kind": "document", "input": {"type": "text"}}
            for name, value in (("claim.amount", "9400.00"), ("claim.currency", "EUR"))]
    form = {"claim.amount": "4900.00", "claim.currency": "EUR ",
            "extra_name": "claim.policy_number", "extra_value": "PN-1"}
    changes = corrections(rows, form)
    assert changes == ["claim.amount=4900.00", "claim.policy_number=PN-1"]
    command = retry_command("claims-intake/abc", changes, "ana")
    assert command[1:] == ["runner.py", "exceptions", "retry", "claims-intake/abc",
                           "--set", "claim.amount=4900.00", "--set", "claim.policy_number=PN-1",
                           "--who", "ana", "--json"]


def test_retry_with_nothing_changed_runs_nothing(client: TestClient, state: StateFolder) -> None:
    response = _post(client, state, "over_limit", action="retry", **{"claim.amount": "9400.00"})
    assert "Nothing was changed" in client.get(response.headers["location"]).text
    assert _item(state, "over_limit")["audit"] == []


def test_retry_runs_the_runner_and_shows_its_refusal(client: TestClient,
                                                     state: StateFolder) -> None:
    """A real `runner.py exceptions retry` subprocess on the page's own state: the order
    recipe's step `nosuchstep` does not exist, so the runner refuses and the page says why."""
    response = _post(client, state, "web", action="retry", extra_name="nosuchstep.qty",
                     extra_value="3")
    page = client.get(response.headers["location"]).text
    assert "Resubmit started" in page  # at once; the result lands in the background
    deadline = time.monotonic() + 120
    while "Resubmitting since" in page and time.monotonic() < deadline:
        time.sleep(0.5)
        page = client.get(response.headers["location"]).text
    assert "Resubmit refused:" in page and "nosuchstep" in page
    assert [entry["action"] for entry in _item(state, "web")["audit"]] == []


def test_retry_refuses_a_malformed_field_name(client: TestClient, state: StateFolder) -> None:
    response = _post(client, state, "over_limit", action="retry", extra_name="--who=x")
    assert "is not step.field" in client.get(response.headers["location"]).text
