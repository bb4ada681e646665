"""Order entry with web.fill_form and web.search_record against the real legacy app in real
Chromium: a header, lines added one by one and checked against the grid, then a confirmation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bots.kernel import StepContext
from bots.kernel.errors import BusinessError
from bots.steps.web.fill_form import fill_form
from bots.steps.web.search_record import search_record
from bots.web.session import web_of
from fixtures.legacy_app import LegacyApp
from tests.steps.web.web_helpers import Run

Call = Callable[..., Any]
PO = "PO-4711"
LINES = [{"product_code": "PIPE-15-CU", "quantity": 10, "unit_price": "12.40"},
         {"product_code": "valve-ball-15", "quantity": "4", "unit_price": 8.75},
         {"product_code": "FIT-ELB-15", "quantity": 25, "unit_price": "1.36"}]  # within 2%
ERRORS = [{"text": "does not exist", "code": "PRODUCT_NOT_FOUND"},
          {"text": "in stock for", "code": "QUANTITY_OVER_STOCK"},
          {"text": "on hold", "code": "ACCOUNT_ON_HOLD"}]
HEADER = {"Customer PO Number": PO, "Requested Date": "07/15/2030",
          "Ship-To Name": "Keller Haustechnik", "Ship-To Address": "Hauptstr. 1",
          "Ship-To City": "Koeln", "Ship-To Postcode": "50667"}
ORDER_SEARCH = {"url": "/order/search", "submit": "Search", "fields": {"Customer PO Number": PO},
                "not_found": {"text": "No orders found."}, "read": {"reference": "Order Number"}}


def lines_page(lines: list[dict[str, Any]], lookup: bool = False) -> dict[str, Any]:
    fields = {"Quantity": "${each.quantity}"}
    picked = {"lookup": {"field": "Product Code", "select_text": "${each.product_code}"}}
    return {"repeat": {
        "for_each": lines, "name": "lines", "submit": "Add line",
        "fields": fields if lookup else {"Product Code": "${each.product_code}", **fields},
        **(picked if lookup else {}),
        "verify": {"row": "last", "columns": {
            "Product": {"equals": "${each.product_code}", "code": "PRODUCT_MISMATCH"},
            "Unit Price": {"equals": "${each.unit_price}", "tolerance": "2%",
                           "code": "PRICE_MISMATCH"}}}},
        "submit": "Review Order"}


def order_params(lines: list[dict[str, Any]], account: str = "C-10021",
                 lookup: bool = False) -> dict[str, Any]:
    return {"url": "/order/customer", "errors": ERRORS, "read": {"reference": "Order Number"},
            "pages": [{"fields": {"Account Number": account}, "submit": "Find"},
                      {"submit": "Start Order"},
                      {"fields": HEADER, "submit": "Continue"},
                      lines_page(lines, lookup),
                      {"submit": "Submit Order"}]}


def keyed_lines(order: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [(line["product_code"], line["quantity"], line["unit_price"])
            for line in order["lines"]]


def test_an_order_with_three_lines_is_keyed_once(call: Call, ctx: StepContext,
                                                 app: LegacyApp) -> None:
    result = call(fill_form, order_params(LINES), ctx)
    orders = app.orders()
    assert len(orders) == 1
    assert result == {"reference": orders[0]["order_number"]}
    assert orders[0]["customer_po"] == PO
    assert keyed_lines(orders[0]) == [("PIPE-15-CU", 10, "12.40"), ("VALVE-BALL-15", 4, "8.75"),
                                      ("FIT-ELB-15", 25, "1.35")]
    assert call(search_record, ORDER_SEARCH, ctx) == {"found": True,
                                                       "reference": result["reference"]}


def test_a_search_with_a_found_code_stops_an_order_keyed_before(call: Call, ctx: StepContext,
                                                                app: LegacyApp) -> None:
    assert call(search_record, {**ORDER_SEARCH, "found": {"code": "ORDER_ALREADY_KEYED"}},
                ctx) == {"found": False}
    reference = call(fill_form, order_params(LINES[:1]), ctx)["reference"]
    with pytest.raises(BusinessError) as raised:
        call(search_record, {**ORDER_SEARCH, "found": {"code": "ORDER_ALREADY_KEYED"}}, ctx)
    assert raised.value.code == "ORDER_ALREADY_KEYED"
    assert reference in raised.value.message and PO in raised.value.message
    assert len(app.orders()) == 1


def test_a_price_off_by_more_than_the_tolerance_is_price_mismatch(call: Call, ctx: StepContext,
                                                                  app: LegacyApp) -> None:
    lines = [LINES[0], {"product_code": "PUMP-CIRC-25", "quantity": 1, "unit_price": "179.00"}]
    with pytest.raises(BusinessError) as raised:
        call(fill_form, order_params(lines), ctx)
    assert raised.value.code == "PRICE_MISMATCH"
    assert raised.value.message == ("lines 2 (grid row 2): 'Unit Price' shows '189.00' but "
                                    "'179.00' was expected (tolerance 2%)")
    assert app.orders() == []


@pytest.mark.parametrize(("line", "code", "red"), [
    ({"product_code": "PUMP-XYZ", "quantity": 1}, "PRODUCT_NOT_FOUND",
     "Product PUMP-XYZ does not exist."),
    ({"product_code": "PUMP-CIRC-25", "quantity": 13}, "QUANTITY_OVER_STOCK",
     "Only 12 in stock for PUMP-CIRC-25."),
    ({"product_code": "PUMP-CIRC-25", "quantity": "two"}, "VALIDATION_REJECTED",
     "Quantity must be a whole number greater than zero.")])
def test_red_text_after_add_line_is_mapped_to_the_recipe_code(
        call: Call, ctx: StepContext, app: LegacyApp, line: dict[str, Any], code: str,
        red: str) -> None:
    with pytest.raises(BusinessError) as raised:
        call(fill_form, order_params([LINES[0], {**line, "unit_price": "189.00"}]), ctx)
    assert (raised.value.code, raised.value.details["errors"]) == (code, [red])
    assert app.orders() == []


def test_an_account_on_hold_is_mapped_from_the_start_order_page(
        call: Call, run: Run, ctx: StepContext, app: LegacyApp) -> None:
    params = {"url": "/order/customer", "fields": {"Account Number": "C-10139"},
              "submit": "Find", "then": "Start Order", "errors": ERRORS,
              "not_found": {"text": "CUSTOMER NOT FOUND", "code": "CUSTOMER_NOT_FOUND"},
              "read": {"name": "Customer Name", "status": "Status"}}
    with pytest.raises(BusinessError) as raised:
        call(search_record, params, ctx)
    assert raised.value.code == "ACCOUNT_ON_HOLD"
    found = call(search_record, {**params, "fields": {"Account Number": "C-10021"}}, ctx)
    assert found == {"found": True, "name": "Keller Haustechnik GmbH", "status": "ACTIVE"}
    assert run(web_of(ctx).page()).url.endswith("/order/header")  # Start Order was clicked


def test_dry_run_adds_every_line_to_the_draft_and_submits_nothing(
        call: Call, ctx: StepContext, app: LegacyApp) -> None:
    ctx.dry_run = True
    result = call(fill_form, order_params(LINES), ctx)
    assert app.orders() == []
    assert result["would_submit"]["Customer PO Number"] == PO
    assert result["would_submit"]["lines"] == [
        {"Product Code": "PIPE-15-CU", "Quantity": "10"},
        {"Product Code": "valve-ball-15", "Quantity": "4"},
        {"Product Code": "FIT-ELB-15", "Quantity": "25"}]
    html = Path(result["html"]).read_text()
    assert "Submit Order" in html and "VALVE-BALL-15" in html


def test_a_product_can_be_chosen_in_the_lookup_popup(call: Call, ctx: StepContext,
                                                     app: LegacyApp) -> None:
    ctx.dry_run = True
    result = call(fill_form, order_params(LINES[:2], lookup=True), ctx)
    assert [row["Product Code"] for row in result["would_submit"]["lines"]] \
        == ["PIPE-15-CU", "VALVE-BALL-15"]
    with pytest.raises(BusinessError) as raised:
        call(fill_form, order_params([{**LINES[0], "product_code": "NOPE"}], lookup=True),
             ctx)
    assert raised.value.code == "FIELD_INVALID"
    assert "no row 'NOPE'" in raised.value.message


@pytest.mark.parametrize("step_type", [search_record, fill_form], ids=lambda s: s.name)
def test_every_documented_example_is_valid(step_type: Any) -> None:
    for example in YAML(typ="safe").load(step_type.example):
        values = example["with"]
        for page in values.get("pages", []):
            if "repeat" in page:  # the engine gives for_each its list
                page["repeat"]["for_each"] = LINES
        assert step_type.params.model_validate(values)
