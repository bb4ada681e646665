"""The late-commit knob over real HTTP: a 504 at once, the record committed later."""

from __future__ import annotations

import time

import httpx
import pytest

from fixtures.legacy_app import LegacyApp, LegacyAppError, launch
from tests.fixture_app.legacy_screen import (
    CREDENTIALS,
    Screen,
    create_order,
    get,
    register_claim,
    stock,
    submit,
    to_confirm,
)


def search_claims(client: httpx.Client, external_ref: str) -> Screen:
    """The claim search screen for one external reference, as a bot would search it."""
    return Screen(submit(client, get(client, "/claim/search"),
                         {"External Reference:": external_ref}, "Search"))


def test_a_late_claim_is_answered_504_at_once_and_committed_later(
        app: LegacyApp, client: httpx.Client) -> None:
    confirm = to_confirm(client, **{"External Reference:": "BOT-LATE1"})
    app.set_faults(late_commit_rate=1, late_commit_ms=800)
    started = time.monotonic()
    response = submit(client, confirm, {}, "Submit Claim")
    assert response.status_code == 504 and "Gateway Timeout" in response.text
    assert time.monotonic() - started < 0.7  # the answer does not wait for the commit
    assert app.claims() == []
    assert search_claims(client, "BOT-LATE1").errors == ["No claims found."]
    assert app.late_commits()["pending"] == 1
    assert app.wait_for_late_commits(timeout_s=5) == {"pending": 0, "committed": 1, "failed": 0}
    [claim] = app.claims()
    assert claim["external_ref"] == "BOT-LATE1" and claim["reference"] == "CLM-000001"
    assert search_claims(client, "BOT-LATE1").values["Claim Reference:"] == "CLM-000001"


def test_a_submit_during_the_delay_makes_a_second_claim(app: LegacyApp,
                                                        client: httpx.Client) -> None:
    """What a bot that trusts 'not found' too early does: the late commit lands anyway."""
    app.set_faults(late_commit_rate=1, late_commit_ms=600)
    first = submit(client, to_confirm(client, **{"External Reference:": "BOT-LATE2"}), {},
                   "Submit Claim")
    assert first.status_code == 504
    app.set_faults(late_commit_rate=0)
    assert register_claim(client, **{"External Reference:": "BOT-LATE2"}) == "CLM-000001"
    app.wait_for_late_commits(timeout_s=5)
    assert [c["reference"] for c in app.claims()] == ["CLM-000001", "CLM-000002"]


def test_a_late_order_is_created_later_and_takes_its_stock_then(
        app: LegacyApp, client: httpx.Client) -> None:
    before = stock(app)["PIPE-15-CU"]
    app.set_faults(late_commit_rate=1, late_commit_ms=500)
    done = create_order(client, po="PO-LATE-1")
    assert done.response.status_code == 504
    assert app.orders() == [] and stock(app)["PIPE-15-CU"] == before
    app.wait_for_late_commits(timeout_s=5)
    [order] = app.orders()
    assert (order["customer_po"], order["order_number"]) == ("PO-LATE-1", "SO-000001")
    assert stock(app)["PIPE-15-CU"] == before - 10


def test_a_late_order_whose_po_was_used_meanwhile_is_refused(app: LegacyApp,
                                                             client: httpx.Client) -> None:
    app.set_faults(late_commit_rate=1, late_commit_ms=700)
    assert create_order(client, po="PO-LATE-2").response.status_code == 504
    app.set_faults(late_commit_rate=0)
    assert create_order(client, po="PO-LATE-2").title == "Order Created"
    assert app.wait_for_late_commits(timeout_s=5) == {"pending": 0, "committed": 0, "failed": 1}
    assert [o["customer_po"] for o in app.orders()] == ["PO-LATE-2"]


def test_reset_cancels_pending_late_commits(app: LegacyApp, client: httpx.Client) -> None:
    app.set_faults(late_commit_rate=1, late_commit_ms=400)
    submit(client, to_confirm(client, **{"External Reference:": "BOT-LATE3"}), {},
           "Submit Claim")
    app.reset()
    assert app.late_commits() == {"pending": 0, "committed": 0, "failed": 0}
    time.sleep(0.6)
    assert app.claims() == []


def test_late_commit_knobs_are_checked(app: LegacyApp) -> None:
    with pytest.raises(LegacyAppError, match="between 0 and 1"):
        app.set_faults(late_commit_rate=1.5)
    with pytest.raises(LegacyAppError, match="late_commit_ms='soon' is not a whole number"):
        app.set_faults(late_commit_ms="soon")
    assert app.faults()["late_commit_ms"] == 3000 and app.faults()["late_commit_rate"] == 0


def test_late_commit_flags_start_the_app_with_the_knob_on() -> None:
    with launch(env=CREDENTIALS, late_commit_rate=0.5, late_commit_ms=250) as started:
        knobs = started.faults()
    assert (knobs["late_commit_rate"], knobs["late_commit_ms"]) == (0.5, 250)
