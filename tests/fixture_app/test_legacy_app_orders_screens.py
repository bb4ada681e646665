"""Order screens around the entry: lookup popup, search, generated ids, token, faults, reset."""

from __future__ import annotations

import re
import shutil

import httpx
import pytest

from fixtures.legacy_app import LegacyApp
from tests.fixture_app.legacy_screen import (
    Screen,
    add_line,
    create_order,
    find_customer,
    get,
    stock,
    submit,
    to_lines,
)

SEARCH_HEADERS = ["Order Number", "Account Number", "Customer PO Number", "Requested Date",
                  "Order Total", "Status"]
BROWSER = "/usr/bin/chromium-headless-shell"


def search(client: httpx.Client, po: str) -> Screen:
    return Screen(submit(client, get(client, "/order/search"),
                         {"Customer PO Number:": po}, "Search"))


def test_menu_links_to_the_order_screens(client: httpx.Client) -> None:
    text = get(client, "/menu").response.text
    assert '<a href="/order/customer">Order Entry</a>' in text
    assert '<a href="/order/search">Order Search</a>' in text


def test_the_lookup_popup_lists_every_product_with_select_links(app: LegacyApp,
                                                               client: httpx.Client) -> None:
    lines = to_lines(client)
    assert "window.open('/order/products'" in lines.response.text
    field = lines.fields["Product Code:"]
    assert f'document.getElementById("{field}")' in lines.response.text
    popup = get(client, "/order/products")
    assert popup.title == "Product Lookup"
    assert popup.grid[0][:4] == ["Code", "Description", "Unit Price", "In Stock"]
    rows = {row[0]: row for row in popup.grid[1:]}
    assert set(rows) == {p["code"] for p in app.products()}
    assert rows["PUMP-CIRC-25"] == ["PUMP-CIRC-25", "Circulation pump 25/60", "189.00", "12",
                                    "Select"]
    assert 'data-code="PUMP-CIRC-25" onclick="return pick(this);">Select</a>' in popup.response.text
    assert "http" not in popup.response.text.split("<body")[0]  # nothing from the internet


def test_search_finds_one_order_by_po_number(client: httpx.Client) -> None:
    assert create_order(client, po="PO-SRCH-1").title == "Order Created"
    screen = search(client, " po-srch-1 ")
    assert screen.values["Order Number:"] == "SO-000001"
    assert screen.grid[0] == SEARCH_HEADERS
    assert screen.grid[1] == ["SO-000001", "C-10021", "PO-SRCH-1", "07/15/2026", "124.00",
                              "OPEN"]


def test_search_of_a_po_on_two_orders_lists_both_without_detail_row(
        client: httpx.Client) -> None:
    create_order(client, po="PO-TWICE", lines=(("RAD-600-1000", "9"),))
    page = to_lines(client, "C-10088", **{"Customer PO Number:": "PO-TWICE"})
    page = add_line(client, page, "FIT-ELB-15", "2")
    Screen(submit(client, Screen(submit(client, page, {}, "Review Order")), {}, "Submit Order"))
    screen = search(client, "PO-TWICE")
    assert "Order Number:" not in screen.values
    assert [row[:2] for row in screen.grid[1:3]] == [["SO-000001", "C-10021"],
                                                    ["SO-000002", "C-10088"]]
    assert screen.grid[1][4] == "1,278.00"


def test_search_without_match_is_red_no_orders(client: httpx.Client) -> None:
    screen = search(client, "PO-NONE")
    assert screen.errors == ["No orders found."]
    assert screen.grid == [] and "Order Number:" not in screen.values


def test_generated_field_ids_differ_per_page_load(client: httpx.Client) -> None:
    first, second = find_customer(client, "C-10021"), get(client, "/order/customer")
    assert first.fields["Account Number:"] != second.fields["Account Number:"]
    lines = to_lines(client)
    header = get(client, "/order/header")
    again = get(client, "/order/lines")
    assert set(header.fields) == {"Customer PO Number:", "Requested Date:", "Ship-To Name:",
                                  "Ship-To Address:", "Ship-To City:", "Ship-To Postcode:"}
    for label, name in lines.fields.items():
        assert re.fullmatch(r"f_[0-9a-f]{6}", name) and lines.ids[name] == name
        assert again.fields[label] != name
    assert header.values["Customer Name:"] == "Keller Haustechnik GmbH"


def test_a_forged_token_forgets_the_order(app: LegacyApp, client: httpx.Client) -> None:
    page = add_line(client, to_lines(client), "PIPE-15-CU", "1")
    page.hidden["__RequestVerificationToken"] = "forged"
    refused = Screen(submit(client, page, {}, "Review Order"))
    assert refused.title == "Order Entry - Customer"
    assert refused.errors == ["Request could not be verified. Start again."]
    assert client.get("/order/lines").headers["location"] == "/order/customer"
    found = find_customer(client, "C-10021")
    del found.hidden["__RequestVerificationToken"]
    assert Screen(submit(client, found, {}, "Start Order")).errors == [
        "Request could not be verified. Start again."]


def test_a_lost_response_still_creates_the_order(app: LegacyApp, client: httpx.Client) -> None:
    page = add_line(client, to_lines(client), "TANK-EXP-18", "5")
    confirm = Screen(submit(client, page, {}, "Review Order"))
    app.set_faults(lose_response_rate=1)
    lost = submit(client, confirm, {}, "Submit Order")
    assert lost.status_code == 503
    app.set_faults(lose_response_rate=0)
    assert [o["order_number"] for o in app.orders()] == ["SO-000001"]
    assert search(client, "PO-4711").values["Order Number:"] == "SO-000001"


def test_reset_clears_orders_and_restores_stock(app: LegacyApp, client: httpx.Client) -> None:
    create_order(client, lines=(("VALVE-BALL-22", "80"),))
    assert stock(app)["VALVE-BALL-22"] == 0
    app.reset()
    assert app.orders() == [] and stock(app)["VALVE-BALL-22"] == 80
    assert [c["account"] for c in app.customers()] == ["C-10021", "C-10057", "C-10088",
                                                       "C-10104", "C-10139"]
    assert app.customers()[4]["status"] == "ON HOLD"


@pytest.mark.skipif(not shutil.which(BROWSER), reason="needs Debian's chromium-headless-shell")
def test_select_in_the_popup_fills_the_product_code_in_chromium(client: httpx.Client) -> None:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    to_lines(client)
    args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"]
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=BROWSER, args=args)
        context = browser.new_context()
        context.add_cookies([{"name": "LEGSESS", "value": client.cookies["LEGSESS"],
                              "url": str(client.base_url)}])
        page = context.new_page()
        page.goto(f"{client.base_url}/order/lines")
        with page.expect_popup() as waiting:
            page.get_by_role("button", name="...", exact=True).click()
        popup = waiting.value
        popup.wait_for_load_state()
        with popup.expect_event("close"):
            # the link closes its own window: do not wait for the click's after-effects there
            link = popup.locator("tr", has_text="TANK-EXP-18").get_by_role("link", name="Select")
            try:
                link.click(no_wait_after=True)
            except PlaywrightError:
                assert popup.is_closed()
        field = page.locator("xpath=//td[text()='Product Code:']/following-sibling::td[1]/input")
        assert field.input_value() == "TANK-EXP-18"
        browser.close()
