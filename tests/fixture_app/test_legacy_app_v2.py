"""The claims screens after the vendor upgrade ("version 2"): new labels, layout and names; the
same data, rules, messages and result labels."""

from __future__ import annotations

import re

import httpx
import pytest

from fixtures.legacy_app import LegacyApp, LegacyAppError, launch
from tests.fixture_app.legacy_screen import CREDENTIALS, Screen, get, submit

PAIR = re.compile(r'<td class="lbl">([^<]+)</td><td><(?:input|select|textarea)[^>]*?'
                  r'id="([^"]+)" name="([^"]+)"')
V2_CLAIMANT = {"Name of claimant:": "Maria Keller", "Policy No.:": "pol-100234",
               "Telephone:": "+49 30 1234567", "E-mail address:": "m.keller@example.com"}
V2_LOSS = {"Loss date:": "03/14/2026", "Type of loss:": "WTR", "Claim amount:": "1250.00",
           "External Ref.:": "BOT-0001", "Loss description:": "Burst pipe in the kitchen"}


def fields(screen: Screen) -> dict[str, str]:
    """Label -> field name, for every label/control pair (version 2 has two to a row)."""
    return {label: name for label, _, name in PAIR.findall(screen.response.text)}


def post(client: httpx.Client, screen: Screen, values: dict[str, str], button: str) -> Screen:
    names = fields(screen)
    data = {**screen.hidden, **{names[label]: value for label, value in values.items()},
            "action": button}
    return Screen(client.post(screen.action, data=data, follow_redirects=True))


def test_the_admin_route_switches_a_running_app_and_a_reset_switches_back(
        app: LegacyApp, client: httpx.Client) -> None:
    assert app.screens() == 1
    app.set_screens(2)
    assert app.screens() == 2
    assert "Name of claimant:" in fields(get(client, "/claim/new"))
    with pytest.raises(LegacyAppError, match="version"):
        app.set_screens(3)
    app.reset()
    assert app.screens() == 1


def test_page_one_has_reworded_labels_moved_fields_new_names_and_continue(
        app: LegacyApp, client: httpx.Client) -> None:
    app.set_screens(2)
    page1 = get(client, "/claim/new")
    pairs = PAIR.findall(page1.response.text)
    assert [label for label, _, _ in pairs] == ["Name of claimant:", "Policy No.:",
                                                "Telephone:", "E-mail address:"]
    assert all(name.startswith("ctl00$Main$fld") and ident == name.replace("$", "_")
               for _, ident, name in pairs)
    assert page1.title == "New Claim - Step 1 of 3: Claimant"
    assert page1.buttons == ["Continue"]
    assert "Policy Number" not in page1.response.text.split("<h2>")[1]


def test_the_wizard_on_version_two_registers_the_same_claim(app: LegacyApp,
                                                            client: httpx.Client) -> None:
    app.set_screens(2)
    page2 = post(client, get(client, "/claim/new"), V2_CLAIMANT, "Continue")
    assert page2.title == "New Claim - Step 2 of 3: Loss Details", page2.errors
    assert list(fields(page2)) == ["Claim amount:", "Loss date:", "Type of loss:",
                                   "External Ref.:", "Loss description:"]
    refused = post(client, page2, {**V2_LOSS, "Claim amount:": "1250"}, "Continue")
    assert refused.errors == ["Amount Claimed must have two decimals, e.g. 1250.00."]
    confirm = post(client, refused, V2_LOSS, "Continue")
    assert confirm.buttons == ["< Back", "Submit Claim"]
    done = Screen(submit(client, confirm, {}, "Submit Claim"))
    assert (done.title, done.values["Claim Reference:"]) == ("Claim Registered", "CLM-000001")
    [claim] = app.claims()
    assert {key: claim[key] for key in ("policy_number", "claimant_name", "loss_date",
                                        "loss_type", "amount", "external_ref")} == {
        "policy_number": "POL-100234", "claimant_name": "Maria Keller",
        "loss_date": "2026-03-14", "loss_type": "WTR", "amount": "1250.00",
        "external_ref": "BOT-0001"}


def test_inquiry_and_search_have_new_labels_and_the_same_results(app: LegacyApp,
                                                                 client: httpx.Client) -> None:
    app.set_screens(2)
    inquiry = get(client, "/policy/inquiry")
    assert list(fields(inquiry)) == ["Policy No.:"] and inquiry.buttons == ["Inquire"]
    answer = post(client, inquiry, {"Policy No.:": "POL-100234"}, "Inquire")
    assert answer.values["Policy Holder:"] and answer.values["Status:"] == "ACTIVE"
    search = get(client, "/claim/search")
    assert list(fields(search)) == ["External Ref.:"]
    nothing = post(client, search, {"External Ref.:": "BOT-NONE"}, "Search")
    assert nothing.errors == ["No claims found."]
    assert "Customer PO Number:" in get(client, "/order/search").fields  # order side unchanged


def test_a_form_served_before_the_switch_still_reads_back(app: LegacyApp,
                                                         client: httpx.Client) -> None:
    page1 = get(client, "/claim/new")  # version 1
    app.set_screens(2)
    page2 = Screen(submit(client, page1, {"Policy Number:": "pol-100234",
                                          "Claimant Name:": "Maria Keller"}, "Next >"))
    assert page2.title == "New Claim - Step 2 of 3: Loss Details", page2.errors
    assert "Loss date:" in fields(page2) and "Date of Loss:" not in fields(page2)


def test_the_start_flag_starts_on_version_two() -> None:
    with launch(env=CREDENTIALS, screens=2) as upgraded:
        assert upgraded.screens() == 2
        upgraded.reset()
        assert upgraded.screens() == 2
