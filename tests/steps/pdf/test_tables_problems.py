"""Table problems name their row, page and column, join the other fields' problems in one
error, and keep every value and row that was read; bad table rules are refused at load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bots.pdf.document import Document, load_document
from bots.pdf.lines import Line, Page
from bots.pdf.table_fields import extract_with_tables
from bots.steps.pdf.extract_fields import Params
from tests.steps.pdf.tables_pdfs import PageLines, draw, refused, run

HEADER = (700, [(40, "Item"), (200, "Qty>"), (300, "Price>"), (400, "Date>")])
RULE: dict[str, Any] = {"table": {"header": {"item": "Item", "quantity": "Qty", "price": "Price",
                             "shipped": "Date"},
                  "types": {"quantity": "int", "price": "amount", "shipped": "date"},
                  "optional": ["shipped"]}, "decimal": ".", "dayfirst": True}


def row(y: float, item: str, qty: str, price: str, date: str = ""
        ) -> tuple[float, list[tuple[float, str]]]:
    """A row under HEADER, figures right-aligned."""
    cells = [(40, item), (200, qty + ">"), (300, price + ">"), (400, date + ">")]
    return y, [(x, text) for x, text in cells if text.rstrip(">")]


def test_every_bad_cell_is_a_problem_and_the_good_rows_are_kept(tmp_path: Path) -> None:
    second_page: PageLines = [HEADER, row(684, "C-3", "3", "n/a"), row(670, "D-4", "4", "4.00")]
    path = draw(tmp_path, [HEADER, row(684, "A-1", "1", "1.00", "03.02.2026"),
                           row(670, "B-2", "2x", "2.00"), (656, [(200, "5>"), (300, "5.00>")])],
                second_page)
    error = refused(path, {"po": {"label": "PO:"}, "lines": RULE})
    where = [(p["field"], p["code"], p.get("row"), p.get("page"), p.get("column"))
             for p in error.details["problems"]]
    assert where == [("po", "FIELD_MISSING", None, None, None),
                     ("lines", "FIELD_INVALID", 2, 1, "quantity"),  # '2x 5': figures
                     ("lines", "FIELD_INVALID", 2, 1, "price"),  # without a key join row 2
                     ("lines", "FIELD_INVALID", 3, 2, "price")]
    assert error.code == "FIELD_MISSING" and "4 problems" in error.message
    assert "row 3 on page 2" in error.message and "'n/a'" in error.message
    rows = error.details["partial"]["lines"]
    assert rows[0] == {"item": "A-1", "quantity": 1, "price": "1.00", "shipped": "2026-02-03"}
    assert rows[1] == {"item": "B-2", "quantity": None, "price": None, "shipped": None}
    assert rows[3]["price"] == "4.00" and len(error.details["partial"]["_provenance"]["lines"]) == 4


def test_a_required_empty_cell_says_how_to_allow_it(tmp_path: Path) -> None:
    error = refused(draw(tmp_path, [HEADER, row(684, "A-1", "", "1.00")]), {"lines": RULE})
    (problem,) = error.details["problems"]
    assert (problem["row"], problem["column"]) == (1, "quantity")
    assert "`optional`" in problem["message"]
    assert error.details["row"] == 1 and error.details["column"] == "quantity"


def test_a_missing_table_keeps_the_fields_that_were_read(tmp_path: Path) -> None:
    path = draw(tmp_path, [(700, [(40, "PO:"), (100, "PO-77")]), (680, [(40, "No lines here")])])
    error = refused(path, {"po": {"label": "PO:"}, "lines": RULE})
    assert error.code == "FIELD_MISSING" and error.details["field"] == "lines"
    assert error.details["partial"]["po"] == "PO-77"
    assert error.details["partial"]["lines"] is None
    assert "no line holds the header labels" in error.message


@pytest.mark.parametrize(("table", "message"), [
    ({"header": {"a": "A"}, "columns": {"a": [0, 10]}}, "not both or neither"),
    ({"types": {"a": "int"}}, "not both or neither"),
    ({"columns": {"a": [50, 10]}}, "0 <= x0 < x1"),
    ({"header": {"a": "A", "b": "B"}, "key": "b", "optional": ["b"]}, "cannot be `optional`"),
    ({"header": {"a": "A"}, "optional": ["c"]}, "`optional` names column(s) c"),
    ({"header": {"a": "A", "b": "B"}, "sum": "b"}, "needs `types: {b: amount}`"),
    ({"header": {"a": "A"}, "totals": {"total": []}}, "have no label"),
])
def test_bad_table_rules_are_refused_when_the_recipe_loads(table: dict[str, Any],
                                                           message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Params.model_validate({"path": "x.pdf", "layouts": [
            {"name": "t", "when": "T", "fields": {"lines": {"table": table}}}]})
    assert message in str(raised.value)


def test_a_cell_read_with_a_doubt_sends_the_table_to_review(tmp_path: Path) -> None:
    page: PageLines = [HEADER, row(684, "A-1", "1", "1,250", "03/04/2026"),
                       row(670, "B-2", "2", "2,00", "14/04/2026")]
    rule = {**RULE, "decimal": None, "dayfirst": None}
    error = refused(draw(tmp_path, page), {"lines": rule})
    assert error.code == "LOW_CONFIDENCE"
    (problem,) = error.details["problems"]
    assert problem["field"] == "lines"
    assert "row 1 shipped: ambiguous date 03/04/2026" in problem["message"]
    assert "row 1 price" in problem["message"]  # '1,250': ',' taken for thousands
    assert error.details["partial"]["lines"][1]["shipped"] == "2026-04-14"
    declared = {**RULE, "decimal": ",", "dayfirst": True}  # the layout settles both
    assert run(draw(tmp_path, page), {"lines": declared})["lines"][0] == {
        "item": "A-1", "quantity": 1, "price": "1.25", "shipped": "2026-04-03"}


def test_below_a_start_line_a_bad_first_row_is_reported_not_skipped(tmp_path: Path) -> None:
    columns = {"item": [40, 150], "quantity": [150, 210], "price": [210, 310]}
    rule = {"table": {"columns": columns, "types": {"quantity": "int", "price": "amount"},
                      "start": "Positionen"}, "decimal": "."}
    page: PageLines = [(720, [(40, "Positionen")]), row(704, "A-1", "1 1/2", "1.00"),
                       row(690, "B-2", "2", "2.00")]
    error = refused(draw(tmp_path, page), {"lines": rule})
    assert [(p["row"], p["column"]) for p in error.details["problems"]] == [(1, "quantity")]
    assert [line["item"] for line in error.details["partial"]["lines"]] == ["A-1", "B-2"]


@pytest.mark.parametrize(("qty", "read"), [("2 Stk", 2), ("10pcs", 10), ("1,500 m", 1500),
                                           ("3 h", 3), ("4x", None), ("EUR 12", None),
                                           ("2.5 kg", None)])
def test_a_count_may_carry_its_unit_but_nothing_else(tmp_path: Path, qty: str,
                                                     read: int | None) -> None:
    path = draw(tmp_path, [HEADER, row(684, "A-1", qty, "1.00")])
    if read is not None:
        assert run(path, {"lines": RULE})["lines"][0]["quantity"] == read
        return
    (problem,) = refused(path, {"lines": RULE}).details["problems"]
    assert (problem["column"], problem["text"]) == ("quantity", qty)


def test_a_word_ocr_read_unsurely_sends_the_table_to_review(tmp_path: Path) -> None:
    path = draw(tmp_path, [HEADER, row(684, "A-1", "1", "1.00"), row(670, "B-2", "2", "8.00"),
                           (650, [(40, "Total"), (300, "9.00>")])])
    scanned = load_document(path)  # as OCR would give it: one amount read at 0.42
    pages = [Page(page.number, page.width, page.height, [
        Line(line.page, [word._replace(confidence=0.42) if word.text == "8.00" else word
                         for word in line.words]) for line in page.lines])
        for page in scanned.pages]
    rule = {**RULE, "table": {**RULE["table"], "totals": {"total": "Total"}}}
    params = Params.model_validate({"path": str(path), "layouts": [
        {"name": "s", "when": "Rechnung", "fields": {"lines": rule}}]})
    output = extract_with_tables(Document(path, pages), params.layouts)
    assert output["lines"][1]["price"] == "8.00" and output["total"] == "9.00"
    assert output["_confidence"]["lines"] == {
        "score": 0.42, "reasons": ["OCR read '8.00' with confidence 0.42"]}
    assert "total" not in output["_confidence"]  # its words were read surely
