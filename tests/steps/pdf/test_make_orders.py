"""The order fixtures: deterministic, committed, and a workbook that really holds its cases."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

from bots.engine.sources.sheet import sheet_items
from bots.recipe.model import SheetSource
from fixtures.make_orders import CATALOG, OUT, write_all

PRODUCTS = {product["code"]: product for product in CATALOG["products"]}
CUSTOMERS = {customer["account"]: customer for customer in CATALOG["customers"]}
BOOK = OUT / "orders.xlsx"


def contents(folder: Path) -> dict[str, bytes]:
    """Every file under a folder: relative path -> bytes."""
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def book_expected() -> dict[str, Any]:
    return json.loads((OUT / "orders.xlsx.expected.json").read_text(encoding="utf-8"))


def test_running_the_generator_twice_gives_identical_bytes(tmp_path: Path) -> None:
    write_all(tmp_path / "first")
    write_all(tmp_path / "second")
    first = contents(tmp_path / "first")
    assert len(first) >= 2 + 4 * 2 + 1
    assert first == contents(tmp_path / "second")


def test_the_committed_fixtures_are_up_to_date(tmp_path: Path) -> None:
    write_all(tmp_path)
    made = contents(tmp_path)
    stale = [name for name, data in made.items()
             if not (OUT / name).is_file() or (OUT / name).read_bytes() != data]
    assert not stale, f"run `python -m fixtures.make_orders` to refresh: {stale}"
    assert set(contents(OUT)) == set(made), "fixtures/orders holds files the generator lost"


def test_the_order_sheet_has_the_quirks_of_a_real_export() -> None:
    sheet = openpyxl.load_workbook(BOOK, data_only=True)["Order Lines"]
    assert sheet["A1"].value and sheet["A2"].value and sheet["A3"].value is None
    headers = [cell.value for cell in sheet[4]]
    assert headers == ["PO Number", "Account", "Requested", "Internal Note", "Ship To",
                       "Address", "City", "Postcode", "Item", "Qty", "Unit Price"]
    assert sheet.column_dimensions["D"].hidden
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    quantities = [row[9] for row in rows[:-1]]
    assert {"12", " 5 "} <= {q for q in quantities if isinstance(q, str)}
    assert all(isinstance(row[2], datetime) for row in rows[:-1])
    total = rows[-1]
    assert total[0] == "TOTAL"
    numeric = [q for q in quantities if isinstance(q, int)]
    assert total[9] == sum(numeric)  # cached: text quantities count as 0, as in Excel
    value = sum(Decimal(str(row[9])) * Decimal(str(row[10])) for row in rows[:-1]
                if isinstance(row[9], int))
    assert Decimal(str(total[10])) == value


def test_the_sheet_rows_read_back_to_the_expected_orders() -> None:
    sheet = openpyxl.load_workbook(BOOK, data_only=True)["Order Lines"]
    orders: dict[str, dict[str, Any]] = defaultdict(lambda: {"lines": []})
    for row in sheet.iter_rows(min_row=5, values_only=True):
        if row[0] == "TOTAL":
            continue
        orders[row[0]].update(
            account=row[1], requested_date=row[2].date().isoformat(), ship_to_name=row[4],
            ship_to_address=row[5], ship_to_city=row[6], ship_to_postcode=row[7])
        orders[row[0]]["lines"].append({"product_code": row[8], "quantity": int(row[9]),
                                        "unit_price": f"{Decimal(str(row[10])):.2f}"})
    expected = {po: {k: v for k, v in e.items() if k not in ("outcome", "code", "case")}
                for po, e in book_expected().items()}
    assert dict(orders) == expected


def test_the_accounts_sheet_is_the_catalog() -> None:
    sheet = openpyxl.load_workbook(BOOK, data_only=True)["Accounts"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Account", "Name", "Status", "Credit Limit")
    assert {row[0]: (row[1], row[2]) for row in rows[1:]} == {
        account: (c["name"], c["status"]) for account, c in CUSTOMERS.items()}


def test_each_expected_outcome_is_what_the_catalog_implies() -> None:
    expected = book_expected()
    by_code = {e.get("code"): e for e in expected.values()}
    assert sum(e["outcome"] == "done" for e in expected.values()) >= 5
    for order in (e for e in expected.values() if e["outcome"] == "done"):
        assert CUSTOMERS[order["account"]]["status"] == "ACTIVE"
        assert 1 <= len(order["lines"]) <= 5
        for line in order["lines"]:
            product = PRODUCTS[line["product_code"]]
            assert line["unit_price"] == product["unit_price"]
            assert line["quantity"] <= product["stock"]
    lines = {code: by_code[code]["lines"] for code in (
        "PRODUCT_NOT_FOUND", "QUANTITY_OVER_STOCK", "PRICE_MISMATCH", "ACCOUNT_ON_HOLD")}
    assert any(line["product_code"] not in PRODUCTS for line in lines["PRODUCT_NOT_FOUND"])
    assert any(line["quantity"] > PRODUCTS[line["product_code"]]["stock"]
               for line in lines["QUANTITY_OVER_STOCK"])
    assert any(off_by(line) > Decimal("0.02") for line in lines["PRICE_MISMATCH"])
    assert CUSTOMERS[by_code["ACCOUNT_ON_HOLD"]["account"]]["status"] == "ON HOLD"


def off_by(line: dict[str, Any]) -> Decimal:
    """How far a line's price is from the catalog's, as a fraction."""
    catalog = Decimal(PRODUCTS[line["product_code"]]["unit_price"])
    return abs(Decimal(line["unit_price"]) - catalog) / catalog


def test_the_already_keyed_pdf_repeats_a_workbook_order_of_the_same_account() -> None:
    duplicates = [json.loads(path.read_text(encoding="utf-8"))
                  for path in (OUT / "inbox").glob("*.expected.json")]
    duplicate = next(e for e in duplicates if e.get("code") == "ORDER_ALREADY_KEYED")
    fields = duplicate["fields"]
    keyed = book_expected()[fields["po_number"]]
    assert keyed["outcome"] == "done" and keyed["account"] == fields["account"]


SHEET_SOURCE = {  # how recipes/order-entry.yaml reads the workbook (bots/engine/sources/sheet.py)
    "path": "fixtures/orders/orders.xlsx", "sheet": "Order Lines", "group_by": "po_number",
    "columns": {"po_number": "PO Number", "account": "Account", "requested_date": "Requested",
                "ship_to_name": "Ship To", "ship_to_address": "Address", "ship_to_city": "City",
                "ship_to_postcode": "Postcode", "product_code": "Item", "quantity": "Qty",
                "unit_price": "Unit Price"},
    "line_fields": ["product_code", "quantity", "unit_price"],
    "types": {"requested_date": "date", "quantity": "int", "unit_price": "amount"},
    "skip": {"po_number": "^TOTAL$"}}


def test_the_engines_sheet_source_reads_the_workbook_to_the_expected_orders() -> None:
    source = SheetSource.model_validate({"name": "book", "sheet": SHEET_SOURCE})
    items = sheet_items(BOOK, source)
    read = {item.data["po_number"]: {k: v for k, v in item.data.items()
                                     if k not in ("po_number", "source", "_provenance")}
            for item in items}
    expected = {po: {k: v for k, v in e.items() if k not in ("outcome", "code", "case")}
                for po, e in book_expected().items()}
    assert read == expected
