"""The three-page New Claim wizard end to end, its validation and its anti-forgery token."""

from __future__ import annotations

import httpx

from fixtures.legacy_app import LegacyApp
from tests.fixture_app.legacy_screen import (
    CLAIMANT,
    LOSS,
    Screen,
    get,
    register_claim,
    submit,
    to_confirm,
)


def test_wizard_end_to_end_creates_exactly_one_claim(app: LegacyApp,
                                                     client: httpx.Client) -> None:
    page1 = get(client, "/claim/new")
    assert page1.title == "New Claim - Step 1 of 3: Claimant"
    assert page1.buttons == ["Next >"]
    assert "__RequestVerificationToken" in page1.hidden
    confirm = to_confirm(client)
    assert confirm.title == "New Claim - Step 3 of 3: Confirm"
    assert confirm.buttons == ["< Back", "Submit Claim"]
    assert confirm.values["Loss Type:"] == "WTR - Water damage"
    assert confirm.values["Policy Number:"] == "POL-100234"
    assert app.claims() == []
    done = Screen(submit(client, confirm, {}, "Submit Claim"))
    assert done.values["Claim Reference:"] == "CLM-000001"
    [claim] = app.claims()
    assert claim["reference"] == "CLM-000001"
    assert {k: claim[k] for k in ("policy_number", "claimant_name", "phone", "loss_date",
                                  "loss_type", "amount", "external_ref", "description")} == {
        "policy_number": "POL-100234", "claimant_name": "Maria Keller",
        "phone": "+49 30 1234567", "loss_date": "2026-03-14", "loss_type": "WTR",
        "amount": "1250.00", "external_ref": "BOT-0001",
        "description": "Burst pipe in the kitchen"}
    assert register_claim(client, **{"External Reference:": "BOT-0002"}) == "CLM-000002"


def test_loss_type_select_has_coded_options(client: httpx.Client) -> None:
    page1 = get(client, "/claim/new")
    page2 = Screen(submit(client, page1, CLAIMANT, "Next >"))
    text = page2.response.text
    first_option = text.index("<option")
    assert text[first_option:].startswith('<option value="" selected>-- select --</option>')
    assert '<option value="GLS">GLS - Glass breakage</option>' in text
    assert set(page2.fields) >= {"Date of Loss:", "Loss Type:", "Amount Claimed:",
                                 "External Reference:", "Description:"}


def test_bad_date_and_amount_are_red_and_nothing_is_created(app: LegacyApp,
                                                          client: httpx.Client) -> None:
    screen = to_confirm(client, **{"Date of Loss:": "2026-03-14", "Amount Claimed:": "1250"})
    assert screen.title == "New Claim - Step 2 of 3: Loss Details"
    assert screen.errors == ["Date of Loss must be MM/DD/YYYY.",
                             "Amount Claimed must have two decimals, e.g. 1250.00."]
    assert app.claims() == []
    future = to_confirm(client, **{"Date of Loss:": "12/31/2999", "Loss Type:": ""})
    assert future.errors == ["Date of Loss cannot be in the future.", "Select a Loss Type."]


def test_inactive_policy_is_refused_on_page_one(client: httpx.Client) -> None:
    page1 = get(client, "/claim/new")
    screen = Screen(submit(client, page1, {**CLAIMANT, "Policy Number:": "POL-104663"},
                           "Next >"))
    assert screen.title == "New Claim - Step 1 of 3: Claimant"
    assert screen.errors == ["Policy not found or not active."]


def test_wrong_or_missing_token_is_refused_without_progress(app: LegacyApp,
                                                            client: httpx.Client) -> None:
    confirm = to_confirm(client)
    confirm.hidden["__RequestVerificationToken"] = "forged"
    screen = Screen(submit(client, confirm, {}, "Submit Claim"))
    assert screen.errors == ["Request could not be verified. Start again."]
    assert screen.title == "New Claim - Step 1 of 3: Claimant"
    assert app.claims() == []
    page1 = get(client, "/claim/new")
    del page1.hidden["__RequestVerificationToken"]
    refused = Screen(submit(client, page1, CLAIMANT, "Next >"))
    assert refused.errors == ["Request could not be verified. Start again."]


def test_skipping_pages_goes_back_to_page_one(client: httpx.Client) -> None:
    get(client, "/claim/new")
    assert get(client, "/claim/new/confirm").title == "New Claim - Step 1 of 3: Claimant"
    assert get(client, "/claim/new/loss").title == "New Claim - Step 1 of 3: Claimant"


def test_back_returns_to_loss_details_with_values_kept(client: httpx.Client) -> None:
    back = Screen(submit(client, to_confirm(client), {}, "< Back"))
    assert back.title == "New Claim - Step 2 of 3: Loss Details"
    assert f'value="{LOSS["Amount Claimed:"]}"' in back.response.text
