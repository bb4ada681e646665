"""The `table` rule of pdf.extract_fields beyond the fixtures: columns, pages, ends, errors."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from reportlab.pdfgen.canvas import Canvas

from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import BusinessError
from bots.steps.pdf.extract_fields import Params, extract_fields

Cell = tuple[float, str]  # x, text (a text ending in ">" is right-aligned to x)
PageLines = list[tuple[float, list[Cell]]]  # y (from the bottom), cells
HEADER: list[Cell] = [(50, "Pos."), (80, "Item"), (170, "Description"), (370, "Qty>"),
                      (460, "Unit Price>"), (540, "Amount>")]
LINES = {"product_code": "Item", "description": "Description", "quantity": ["Qty", "Quantity"],
         "unit_price": "Unit Price"}


def row(pos: str, item: str, text: str, qty: str, price: str, amount: str) -> list[Cell]:
    """A table row under HEADER's columns."""
    return [(50, pos), (80, item), (170, text), (370, qty + ">"), (460, price + ">"),
            (540, amount + ">")]


def pdf(tmp_path: Path, *pages: PageLines) -> Path:
    """A PDF whose pages hold lines of cells at y (from the bottom), 9 pt Helvetica."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    for number, lines in enumerate(pages):
        if number:
            canvas.showPage()
        canvas.setFont("Helvetica", 9)
        canvas.drawString(50, 800, "Test Order Form")
        for y, cells in lines:
            for x, text in cells:
                if text.endswith(">"):
                    canvas.drawRightString(x, y, text[:-1])
                else:
                    canvas.drawString(x, y, text)
    canvas.save()
    path = tmp_path / "order.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def run(path: Path, lines: Any, **extra: Any) -> dict[str, Any]:
    """Run the step with one layout whose only field is the table ``lines``."""
    fields = {"lines": lines, **extra}
    params = Params.model_validate({"path": str(path), "layouts": [
        {"name": "test", "when": "Test Order Form", "fields": fields}]})
    item = WorkItem(key="k", name=path.name)
    return extract_fields.function(params, StepContext(run_id="t", item=item, step_id="order"))


def table(header: dict[str, Any] | None = None, **rule: Any) -> dict[str, Any]:
    """A table field rule: the test header, Total stops, typed quantity and price."""
    spec = {"header": header or LINES, "stop": ["Total"],
            "types": {"quantity": "int", "unit_price": "amount"}}
    return {"table": {**spec, **rule.pop("table", {})}, **rule}


def test_columns_follow_header_positions_and_unnamed_columns_are_dropped(tmp_path: Path) -> None:
    path = pdf(tmp_path, [(700, HEADER), (684, row("1", "PIPE-15-CU", "Copper pipe 15 mm, 3 m",
                                                   "25", "12.40", "310.00")),
                          (670, row("2", "FIT-ELB-15", "Elbow", "1,500", "1.35", "2,025.00")),
                          (650, [(80, "Total"), (540, "2,335.00>")])])
    output = run(path, table(decimal="."))
    assert output["lines"] == [
        {"product_code": "PIPE-15-CU", "description": "Copper pipe 15 mm, 3 m", "quantity": 25,
         "unit_price": "12.40"},
        {"product_code": "FIT-ELB-15", "description": "Elbow", "quantity": 1500,
         "unit_price": "1.35"}]
    first = output["_provenance"]["lines"][0]
    assert first["page"] == 1 and first["text"].startswith("1 PIPE-15-CU Copper pipe")
    assert first["box"][0] == 50.0 and first["rule"].startswith("table with header")


def test_a_wrapped_description_joins_its_row_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = pdf(tmp_path, [(700, HEADER),
                          (684, row("1", "TANK-EXP-18", "Expansion tank", "2", "54,50", "109,00")),
                          (674, [(170, "18 litres, wall bracket")]),
                          (664, [(50, "2")]),  # only an unnamed column: a blank row
                          (654, row("3", "THERM-HEAD", "Thermo head", "3", "16,80", "50,40"))])
    lines = run(path, table(decimal=","))["lines"]
    assert [line["description"] for line in lines] == [
        "Expansion tank 18 litres, wall bracket", "Thermo head"]
    assert [line["unit_price"] for line in lines] == ["54.50", "16.80"]


def test_the_table_continues_below_the_header_repeated_on_the_next_page(tmp_path: Path) -> None:
    page_one: PageLines = [
        (700, HEADER), (684, row("1", "PIPE-15-CU", "Pipe", "1", "12.40", "12.40")),
        (670, [(80, "Total carried forward"), (540, "12.40>")]), (60, [(50, "Page 1 of 3")])]
    page_two: PageLines = [
        (760, HEADER), (744, row("2", "PIPE-22-CU", "Pipe", "2", "19.90", "39.80")),
        (720, [(80, "Total"), (540, "52.20>")])]
    page_three: PageLines = [  # labels in a sentence, Description missing: not a header
        (760, [(50, "Terms and conditions: Item Qty Unit Price apply")]),
        (744, row("3", "NOT-A-LINE", "Terms", "9", "9.99", "9.99"))]
    output = run(pdf(tmp_path, page_one, page_two, page_three), table())
    assert [line["product_code"] for line in output["lines"]] == ["PIPE-15-CU", "PIPE-22-CU"]
    assert [source["page"] for source in output["_provenance"]["lines"]] == [1, 2]


def test_a_wide_gap_ends_the_table_so_a_footer_is_not_a_row(tmp_path: Path) -> None:
    path = pdf(tmp_path, [(700, HEADER), (684, row("1", "PIPE-15-CU", "Pipe", "1", "1", "1")),
                          (600, [(80, "Delivery before noon"), (370, "please>")])])
    assert [line["product_code"] for line in run(path, table())["lines"]] == ["PIPE-15-CU"]


def test_labels_are_matched_in_any_column_order(tmp_path: Path) -> None:
    swapped: list[Cell] = [(50, "Qty"), (120, "Unit Price"), (220, "Item")]
    path = pdf(tmp_path, [(700, swapped), (684, [(50, "7"), (120, "8.75"), (220, "VALVE-B")])])
    rule = table({"product_code": "Item", "quantity": "Qty", "unit_price": ["Price"]})
    assert run(path, rule)["lines"] == [{"product_code": "VALVE-B", "quantity": 7,
                                         "unit_price": "8.75"}]


def test_a_missing_header_raises_the_missing_code_naming_the_labels(tmp_path: Path) -> None:
    path = pdf(tmp_path, [(700, [(50, "Please deliver 3 pieces of PIPE-15-CU")])])
    with pytest.raises(BusinessError) as raised:
        run(path, table())
    assert raised.value.code == "FIELD_MISSING"
    assert "order.pdf" in raised.value.message and "'Unit Price'" in raised.value.message
    assert raised.value.details["field"] == "lines"
    with pytest.raises(BusinessError) as custom:
        run(path, table(missing_code="LINES_MISSING"))
    assert custom.value.code == "LINES_MISSING"


def test_an_optional_missing_table_is_none_without_provenance(tmp_path: Path) -> None:
    path = pdf(tmp_path, [(700, [(50, "PO Number:"), (150, "PO-1")])])
    output = run(path, table(required=False), po={"label": "PO Number:"})
    assert output["lines"] is None and output["po"] == "PO-1"
    assert set(output["_provenance"]) == {"po"}


def test_a_header_without_rows_is_missing_too(tmp_path: Path) -> None:
    path = pdf(tmp_path, [(700, HEADER), (684, [(80, "Total"), (540, "0.00>")])])
    with pytest.raises(BusinessError) as raised:
        run(path, table())
    assert raised.value.code == "FIELD_MISSING" and "no rows" in raised.value.message


def test_alternative_table_rules_are_tried_in_order(tmp_path: Path) -> None:
    path = pdf(tmp_path, [(700, HEADER), (684, row("1", "PIPE-15-CU", "Pipe", "4", "1", "4"))])
    other = table({"product_code": "Article", "quantity": "Menge", "unit_price": "Preis"})
    assert run(path, [other, table()])["lines"][0]["quantity"] == 4


@pytest.mark.parametrize(("qty", "price", "column"), [("4x", "12.40", "quantity"),
                                                      ("2.5", "12.40", "quantity"),
                                                      ("3", "n/a", "unit_price"),
                                                      ("", "12.40", "quantity")])
def test_a_cell_that_does_not_normalize_names_its_row(tmp_path: Path, qty: str, price: str,
                                                      column: str) -> None:
    path = pdf(tmp_path, [(700, HEADER), (684, row("1", "PIPE-15-CU", "Pipe", "1", "1", "1")),
                          (670, row("2", "PIPE-22-CU", "Pipe", qty, price, "9"))])
    with pytest.raises(BusinessError) as raised:
        run(path, table(decimal="."))
    assert raised.value.code == "FIELD_INVALID"
    assert raised.value.details["row"] == 2 and raised.value.details["column"] == column
    assert "row 2 on page 1" in raised.value.message and "PIPE-22-CU" in raised.value.message


def test_a_first_row_without_its_key_is_refused_not_dropped(tmp_path: Path) -> None:
    path = pdf(tmp_path, [(700, HEADER), (684, row("1", "", "Pipe", "4", "1.00", "4.00"))])
    with pytest.raises(BusinessError) as raised:
        run(path, table())
    assert raised.value.code == "FIELD_INVALID"
    assert raised.value.details["row"] == 1 and raised.value.details["column"] == "product_code"


def test_date_cells_are_iso(tmp_path: Path) -> None:
    path = pdf(tmp_path, [(700, [(50, "Item"), (150, "Ship date")]),
                          (684, [(50, "A-1"), (150, "14.03.2026")])])
    rule = {"table": {"header": {"item": "Item", "ship": "Ship date"}, "types": {"ship": "date"}}}
    assert run(path, rule)["lines"] == [{"item": "A-1", "ship": "2026-03-14"}]


@pytest.mark.parametrize(("rule", "message"), [
    ({"table": {"header": {"a": "A"}}, "label": "A"}, "exactly one of"),
    ({"table": {"header": {"a": "A"}}, "type": "amount"}, "typed by `table.types`"),
    ({"table": {"header": {"a": "A"}, "types": {"b": "int"}}}, "not columns of the table"),
    ({"table": {"header": {"a": []}}}, "have no label"),
    ({"table": {"header": {"a": "A"}, "types": {"a": "float"}}}, "types.a"),
    ({"table": {"header": {"a": "A"}, "colour": "red"}}, "colour"),
    ([{"table": {"header": {"a": "A"}}}, {"label": "A"}], "mix `table` rules"),
])
def test_bad_table_rules_are_refused_when_the_recipe_loads(rule: Any, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Params.model_validate({"path": "x.pdf", "layouts": [
            {"name": "t", "when": "T", "fields": {"lines": rule}}]})
    assert message in str(raised.value)
