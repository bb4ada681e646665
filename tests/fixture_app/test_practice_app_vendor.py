"""The supplier portal of the practice app, driven by hand in Chromium (Playwright's locators).

Proves the screen behaves as its README says: sign-on, a work list table, a form whose controls
are each labelled another way (iframe and shadow DOM included), a Submit that stays disabled
until the form is valid, a confirm() that can say no, and a reference after a non-breaking space.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from fixtures.practice_app import PracticeApp, launch

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
CERTIFICATE = ROOT / "fixtures" / "practice" / "certificates" / "lumen.pdf"
CREDENTIALS = {"PRACTICE_USER": "buyer", "PRACTICE_PASSWORD": "pw-practice-2"}


@pytest.fixture(scope="module")
def practice() -> Iterator[PracticeApp]:
    with launch(env=CREDENTIALS) as app:
        yield app


def sign_on(page: Page, url: str, password: str = CREDENTIALS["PRACTICE_PASSWORD"]) -> None:
    page.goto(url + "/vendor/login")
    page.get_by_placeholder("Username").fill(CREDENTIALS["PRACTICE_USER"])
    page.get_by_placeholder("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading").filter(has_text="Sign in").or_(
        page.get_by_role("heading", name="Work list")).wait_for()


def fill_vendor(page: Page) -> None:
    """Every control of REQ-1002, each found the way its label is written."""
    page.locator("xpath=//span[.='Request ID']/following-sibling::input").fill("REQ-1002")
    page.locator("xpath=//label[.='Vendor name *']/following-sibling::input").fill(
        "Lumen Consulting SARL")
    page.get_by_label("Tax ID").fill("FR40303265045")
    page.get_by_label("Contact email").fill("billing@lumen.example")
    page.get_by_placeholder("Phone number").fill("+33 1 84 88 12 00")
    page.locator("xpath=//tr[td='IBAN']/following-sibling::tr/td[1]/input").fill(
        "FR1420041010050500013M02606")
    page.locator("xpath=//tr[td='BIC']/following-sibling::tr/td[2]/input").fill("PSSTFRPPXXX")
    page.locator("xpath=//dt[.='Payment terms (days)']/following-sibling::dd[1]/input").fill("45")
    page.get_by_role("group", name="Vendor type").get_by_label("Services").check()
    page.locator("xpath=//td[.='Country:']/following-sibling::td/select").select_option(
        label="France")
    page.get_by_label("Contract start").fill("2026-03-15")
    page.get_by_label("Registration certificate (PDF)").set_input_files(CERTIFICATE)
    page.get_by_label("Cost centre").fill("CC-2300")  # inside the widget's shadow root
    page.frame_locator("iframe[name=notes]").get_by_label("Internal note").fill("Framework 2026")
    page.locator("xpath=//label[.='Bank details verified by phone']"
                 "/preceding-sibling::input[1]").check()


def test_wrong_password_is_refused_and_the_work_list_needs_a_session(page, practice):
    page.goto(practice.url + "/vendor/requests")
    assert page.url.endswith("/vendor/login")
    sign_on(page, practice.url, password="wrong")
    assert page.get_by_role("alert").inner_text() == "Invalid username or password."


def test_the_work_list_is_a_table_of_requests(page, practice):
    sign_on(page, practice.url)
    page.locator("#worklist tbody tr").first.wait_for()
    rows = page.locator("#worklist tbody tr").all_inner_texts()
    assert [row.split("\t")[0] for row in rows] == ["REQ-1001", "REQ-1002", "REQ-1003",
                                                     "REQ-0999"]
    assert page.locator("table caption").inner_text() == "Vendor requests"


def test_a_vendor_keyed_by_hand_is_stored_with_every_value(page, practice):
    sign_on(page, practice.url)
    page.goto(practice.url + "/vendor/new")
    submit = page.get_by_role("button", name="Submit request")
    assert submit.is_disabled()
    fill_vendor(page)
    assert submit.is_enabled()
    page.once("dialog", lambda dialog: dialog.dismiss())
    submit.click()
    assert practice.vendors() == []  # answered No: nothing sent
    page.once("dialog", lambda dialog: dialog.accept())
    submit.click()
    notice = page.get_by_role("status").inner_text()
    assert "Reference:\u00a0VEN-000001" in notice and "Request\u00a0REQ-1002" in notice
    [vendor] = practice.vendors()
    assert {k: vendor[k] for k in ("request", "vendor_name", "tax_id", "email", "phone", "iban",
                                   "bic", "payment_terms", "vendor_type", "country",
                                   "contract_start", "cost_centre", "note", "bank_confirmed")} \
        == {"request": "REQ-1002", "vendor_name": "Lumen Consulting SARL",
            "tax_id": "FR40303265045", "email": "billing@lumen.example",
            "phone": "+33 1 84 88 12 00", "iban": "FR1420041010050500013M02606",
            "bic": "PSSTFRPPXXX", "payment_terms": "45", "vendor_type": "services",
            "country": "FR", "contract_start": "2026-03-15", "cost_centre": "CC-2300",
            "note": "Framework 2026", "bank_confirmed": True}
    assert vendor["certificate"] == {
        "name": "lumen.pdf", "size": CERTIFICATE.stat().st_size,
        "sha256": hashlib.sha256(CERTIFICATE.read_bytes()).hexdigest()}
    statuses = {r["request"]: r["status"] for r in practice.vendor_requests()}
    assert statuses["REQ-1002"] == "Registered (VEN-000001)"


def test_a_request_is_registered_once(page, practice):
    sign_on(page, practice.url)
    for _ in range(2):
        page.goto(practice.url + "/vendor/new")
        fill_vendor(page)
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Submit request").click()
    assert "REQ-1002 is not pending: Registered (VEN-000001)" in \
        page.get_by_role("alert").inner_text()
    assert len(practice.vendors()) == 1


def test_the_vendor_search_finds_a_registered_request_only(page, practice):
    sign_on(page, practice.url)
    page.goto(practice.url + "/vendor/new")
    fill_vendor(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit request").click()
    page.get_by_role("status").wait_for()
    page.goto(practice.url + "/vendor/vendors")
    page.get_by_label("Search vendors").fill("req-1002")
    page.get_by_role("button", name="Search").click()
    assert page.locator("#vendors tbody tr").inner_text().split("\t")[:3] == [
        "VEN-000001", "Lumen Consulting SARL", "REQ-1002"]
    page.get_by_label("Search vendors").fill("REQ-1001")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("No vendors found.").wait_for()
