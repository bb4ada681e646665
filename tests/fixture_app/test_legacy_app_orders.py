"""Order entry in the legacy app over real HTTP: customer, header, lines, confirm, search."""

from __future__ import annotations

import httpx
import pytest

from fixtures.legacy_app import LegacyApp
from tests.fixture_app.legacy_screen import (
    Screen,
    add_line,
    create_order,
    find_customer,
    stock,
    submit,
    to_lines,
)

LINE_HEADERS = ["Line", "Product", "Description", "Quantity", "Unit Price", "Line Total"]


def remove_line(client: httpx.Client, page: Screen, number: int) -> Screen:
    """Press the Remove button of one grid row (each row has its own small form)."""
    assert page.buttons.count("Remove") == len(line_rows(page))
    data = {**page.hidden, "__LINE": str(number), "action": "Remove"}
    return Screen(client.post("/order/lines", data=data, follow_redirects=True))


def line_rows(page: Screen) -> list[list[str]]:
    """The lines grid's data rows, first six cells (the parser runs on past the grid)."""
    return [row[:6] for row in page.grid[1:] if len(row) >= 6 and row[0].isdigit()]


def test_the_whole_flow_creates_one_order_and_takes_stock(app: LegacyApp,
                                                          client: httpx.Client) -> None:
    found = find_customer(client, " c-10021 ")
    assert found.title == "Order Entry - Customer"
    assert found.values == {"Account Number:": "C-10021",
                            "Customer Name:": "Keller Haustechnik GmbH", "Status:": "ACTIVE",
                            "Credit Limit:": "50,000.00 EUR"}
    assert found.buttons == ["Find", "Start Order"]
    page = to_lines(client)
    assert page.title == "New Order - Lines"
    assert page.grid[0] == LINE_HEADERS
    page = add_line(client, page, "pipe-15-cu", "10")
    page = add_line(client, page, "PUMP-CIRC-25", "2")
    page = add_line(client, page, "THERM-HEAD", "3")
    assert page.errors == [] and page.response.text.count('value=""') >= 2  # empty entry
    page = remove_line(client, page, 2)
    assert line_rows(page) == [
        ["1", "PIPE-15-CU", "Copper pipe 15 mm, 3 m", "10", "12.40", "124.00"],
        ["2", "THERM-HEAD", "Thermostatic head", "3", "16.80", "50.40"]]
    page = add_line(client, page, "RAD-600-1000", "8")
    confirm = Screen(submit(client, page, {}, "Review Order"))
    assert confirm.title == "New Order - Confirm"
    assert confirm.buttons == ["< Back", "Submit Order"]
    assert confirm.values["Customer PO Number:"] == "PO-4711"
    assert confirm.values["Requested Date:"] == "07/15/2026"
    assert confirm.values["Order Total:"] == "1,310.40 EUR"
    assert line_rows(confirm)[2] == ["3", "RAD-600-1000", "Panel radiator 600x1000", "8",
                                     "142.00", "1136.00"]
    assert app.orders() == []
    done = Screen(submit(client, confirm, {}, "Submit Order"))
    assert done.title == "Order Created"
    assert done.values["Order Number:"] == "SO-000001"
    [order] = app.orders()
    assert {k: order[k] for k in ("order_number", "account", "customer_po", "requested_date",
                                  "ship_to_name", "ship_to_address", "ship_to_city",
                                  "ship_to_postcode", "total", "status")} == {
        "order_number": "SO-000001", "account": "C-10021", "customer_po": "PO-4711",
        "requested_date": "2026-07-15", "ship_to_name": "Keller Haustechnik",
        "ship_to_address": "Hauptstr. 1", "ship_to_city": "Koeln",
        "ship_to_postcode": "50667", "total": "1310.40", "status": "OPEN"}
    assert order["lines"] == [
        {"line": 1, "product_code": "PIPE-15-CU", "quantity": 10, "unit_price": "12.40"},
        {"line": 2, "product_code": "THERM-HEAD", "quantity": 3, "unit_price": "16.80"},
        {"line": 3, "product_code": "RAD-600-1000", "quantity": 8, "unit_price": "142.00"}]
    left = stock(app)
    assert (left["PIPE-15-CU"], left["THERM-HEAD"], left["RAD-600-1000"],
            left["PUMP-CIRC-25"]) == (490, 347, 32, 12)
    assert create_order(client, po="PO-4712").values["Order Number:"] == "SO-000002"


def test_unknown_customer_is_red_not_found(client: httpx.Client) -> None:
    screen = find_customer(client, "C-99999")
    assert screen.errors == ["CUSTOMER NOT FOUND"]
    assert "Customer Name:" not in screen.values and "Start Order" not in screen.buttons


def test_a_customer_on_hold_is_found_but_cannot_order(client: httpx.Client) -> None:
    found = find_customer(client, "C-10139")
    assert found.values["Status:"] == "ON HOLD" and found.errors == []
    refused = Screen(submit(client, found, {}, "Start Order"))
    assert refused.title == "Order Entry - Customer"
    assert refused.errors == ["Account is on hold; orders cannot be entered."]
    assert client.get("/order/header").headers["location"] == "/order/customer"


def test_a_po_number_used_before_for_the_customer_is_refused(app: LegacyApp,
                                                             client: httpx.Client) -> None:
    create_order(client, po="PO-DUP-1")
    header = to_lines(client, **{"Customer PO Number:": "po-dup-1"})
    assert header.title == "New Order - Header"
    assert header.errors == ["PO number already used on order SO-000001."]
    other = to_lines(client, "C-10057", **{"Customer PO Number:": "PO-DUP-1"})
    assert other.title == "New Order - Lines"  # another customer may use the same PO


def test_header_fields_are_validated_in_red(client: httpx.Client) -> None:
    screen = to_lines(client, **{"Requested Date:": "2026-07-15", "Ship-To City:": "",
                                 "Customer PO Number:": "X" * 21})
    assert screen.title == "New Order - Header"
    assert screen.errors == ["Customer PO Number must be at most 20 characters.",
                             "Requested Date must be MM/DD/YYYY.", "Ship-To City is required."]
    past = to_lines(client, **{"Requested Date:": "01/02/2001"})
    assert past.title == "New Order - Lines"


@pytest.mark.parametrize(("code", "quantity", "red"), [
    ("PUMP-XYZ", "1", "Product PUMP-XYZ does not exist."),
    ("PUMP-CIRC-25", "0", "Quantity must be a whole number greater than zero."),
    ("PUMP-CIRC-25", "2.5", "Quantity must be a whole number greater than zero."),
    ("PUMP-CIRC-25", "13", "Only 12 in stock for PUMP-CIRC-25.")])
def test_a_bad_line_is_red_and_not_added(client: httpx.Client, code: str, quantity: str,
                                         red: str) -> None:
    screen = add_line(client, to_lines(client), code, quantity)
    assert screen.errors == [red]
    assert line_rows(screen) == []
    assert f'value="{quantity}"' in screen.response.text  # entered values shown again


def test_stock_counts_the_lines_already_in_the_order(client: httpx.Client) -> None:
    page = add_line(client, to_lines(client), "PUMP-CIRC-25", "10")
    screen = add_line(client, page, "pump-circ-25", "3")
    assert screen.errors == ["Only 12 in stock for PUMP-CIRC-25."]
    assert len(line_rows(screen)) == 1


def test_review_without_lines_is_red(client: httpx.Client) -> None:
    screen = Screen(submit(client, to_lines(client), {}, "Review Order"))
    assert screen.title == "New Order - Lines"
    assert screen.errors == ["Add at least one line."]
    assert client.get("/order/confirm").headers["location"] == "/order/lines"
