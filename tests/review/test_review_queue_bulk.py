"""The queue's bulk actions over a real app and ledger: nothing changes before the
confirmation, then each item is done or named as refused, audited in the signed-on name."""

from __future__ import annotations

import csv
import io
import re
import time

from starlette.testclient import TestClient

from bots.review import create_app
from bots.review.queue_csv import COLUMNS
from tests.review.review_helpers import StateFolder, add_item, csrf_of


def audit_actions(state: StateFolder, key: str) -> list[tuple[str, str]]:
    ledger = state.ledger()
    try:
        return [(e["who"], e["action"]) for e in ledger.audit_trail(state.ids[key])]
    finally:
        ledger.close()


def ask(client: TestClient, **form: object) -> str:
    """The first post of the queue's bulk form: the confirmation page."""
    answer = client.post("/bulk", data={"csrf": csrf_of(client.get("/").text), **form})
    assert answer.status_code == 200
    return answer.text


def confirm(client: TestClient, page: str) -> str:
    """Post the confirmation page's form back; the flash text of the queue it returns to."""
    start = page.index('class="confirm-form"')
    fields = re.findall(r'name="([^"]+)" value="([^"]*)"', page[start:])
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value.replace("&amp;", "&"))
    answer = client.post("/bulk", data=data, follow_redirects=False)
    assert answer.status_code == 303
    queue = client.get(answer.headers["location"]).text
    start = queue.index('class="flash')
    return queue[start:queue.index("</p>", start)]


def test_bulk_retry_confirms_then_retries_the_system_failures_only(client, state) -> None:
    ledger = state.ledger()
    try:
        failed = add_item(ledger, "gone-recipe", "f6" * 16, "login.pdf", "",
                          status="exception", code="LOGIN_FAILED", step="submit",
                          message="the target system refused the sign-on")
    finally:
        ledger.close()
    page = ask(client, action="retry", item=[failed, state.ids["over_limit"]])
    assert "Retry 2 item(s)?" in page and "left alone: not a system failure" in page
    assert "runs again" in page and "login.pdf" in page
    text = confirm(client, page)
    assert "Retry started for 1 item(s)." in text
    assert "Not retried" in text and "claim-10-acme-over-limit.pdf" in text
    deadline = time.monotonic() + 120  # the retry itself is refused: its recipe is gone
    while "Resubmitting since" in (item := client.get(f"/items/{failed}").text):
        assert time.monotonic() < deadline
        time.sleep(0.5)
    assert "Resubmit refused:" in item and "gone-recipe" in item


def test_bulk_reject_and_assign_change_nothing_before_the_confirmation(client, state) -> None:
    page = ask(client, action="reject", reason="sent twice by the broker",
               item=[state.ids["over_limit"], state.ids["hostile"]])
    assert "Reject 2 item(s)?" in page and "sent twice by the broker" in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert audit_actions(state, "over_limit") == []  # asked, not done
    assert "Rejected: 2 item(s)." in confirm(client, page)
    assert audit_actions(state, "over_limit") == [("ana", "reject")]
    assert audit_actions(state, "hostile") == [("ana", "reject")]
    again = confirm(client, ask(client, action="assign", to="me", item=[state.ids["web"],
                                                                    state.ids["over_limit"]]))
    assert "Assigned to ana: 1 item(s)." in again and "only open exceptions" in again
    assert audit_actions(state, "web") == [("ana", "assign")]


def test_a_bulk_ask_is_refused_with_what_to_do(client, state) -> None:
    def flash_of(**form: object) -> str:
        answer = client.post("/bulk", data={"csrf": csrf_of(client.get("/").text), **form},
                             follow_redirects=False)
        assert answer.status_code == 303
        return client.get(answer.headers["location"]).text
    assert "Rejecting needs a reason" in flash_of(action="reject", item=[state.ids["web"]])
    assert "has no account on this page" in flash_of(action="assign", to="mallory",
                                                     item=[state.ids["web"]])
    assert "Tick the items first." in flash_of(action="assign", to="sam")
    assert audit_actions(state, "web") == []
    page = client.get("/").text
    token = csrf_of(page)
    client.post("/bulk", data={"csrf": token, "action": "assign", "to": "sam",
                               "item": state.ids["web"], "confirm": "1"})
    replay = client.post("/bulk", data={"csrf": token, "action": "assign", "to": "rita",
                                        "item": state.ids["web"], "confirm": "1"})
    assert "sent before" in replay.text.lower() or "already" in replay.text.lower()
    assert audit_actions(state, "web") == [("ana", "assign")]


def test_the_csv_of_a_view_is_a_download_for_signed_on_people_only(client, state) -> None:
    ledger = state.ledger()
    try:
        add_item(ledger, "claims-intake", "f7" * 16, "=HYPERLINK(\"http://x\")", "",
                 status="exception", code="POLICY_NOT_FOUND", step="policy",
                 message="-2+3 looks like a formula")
    finally:
        ledger.close()
    answer = client.get("/queue.csv", params={"code": "POLICY_NOT_FOUND", "sort": "recipe"})
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith('attachment; filename="queue-open-')
    table = list(csv.DictReader(io.StringIO(answer.text)))
    assert sorted(row["item"] for row in table) == [
        "'=HYPERLINK(\"http://x\")", "evil<script>alert(1)</script>.pdf"]
    assert {row["reason"] for row in table} == {"'-2+3 looks like a formula",
                                                "policy <script>alert(1)</script> unknown"}
    rejected = client.get("/queue.csv", params={"view": "rejected"}).text.splitlines()
    assert rejected == [",".join(title for title, _ in COLUMNS)]  # the header alone
    with TestClient(create_app(state.url, state.path, goals={})) as stranger:
        assert stranger.get("/queue.csv", follow_redirects=False).status_code == 303
