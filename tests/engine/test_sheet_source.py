"""Sheet sources on workbooks as people leave them: a used range far below the data, phones
stored as numbers, a row without its key; and a whole sheet handed to one item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from bots.engine.sources.sheet import sheet_items
from bots.kernel import RecipeError
from bots.recipe import load_recipe
from bots.recipe.model import SheetSource
from bots.sheets import as_plain

HEADER = ["First Name", "Last Name", "Phone Number", "Order"]
ROWS: list[list[Any]] = [["John", "Smith", 5551234567.0, "A-1"], ["Jane", "Doe", 5559876543, "A-2"],
        ["Jane", "Doe", 5559876543, "A-2"], ["Ann", "Lee", "555 000 1111", "A-3"]]


def workbook(path: Path, rows: list[list[Any]], *, used_to: int = 500) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    sheet.cell(row=used_to, column=3).font = Font(bold=True)  # a styled, empty cell
    sheet.cell(row=used_to - 10, column=1).value = ""  # an empty string far below the data
    sheet.cell(row=used_to - 20, column=2).value = "   "
    book.save(path)
    return path


def source(**sheet: Any) -> SheetSource:
    columns = {"first": "First Name", "last": "Last Name", "phone": "Phone Number",
               "order": "Order"}
    return SheetSource.model_validate({"name": "people", "sheet": {
        "path": "x.xlsx", "columns": columns, **sheet}})


def test_empty_rows_of_the_used_range_are_no_items(tmp_path):
    items = sheet_items(workbook(tmp_path / "people.xlsx", ROWS), source(group_by="order"))
    assert [item.data["order"] for item in items] == ["A-1", "A-2", "A-3"]
    assert not any("None" in item.name for item in items)
    assert not any(item.data.get("source_error") for item in items)


def test_phones_stored_as_numbers_read_as_the_digits_a_person_sees(tmp_path):
    items = sheet_items(workbook(tmp_path / "people.xlsx", ROWS), source(group_by="order"))
    assert [item.data["phone"] for item in items] == ["5551234567", "5559876543",
                                                     "555 000 1111"]
    typed = sheet_items(tmp_path / "people.xlsx",
                        source(group_by="order", types={"phone": "text"}))
    assert typed[0].data["phone"] == "5551234567"
    assert as_plain(5551234567.0) == 5551234567 and str(as_plain(5551234567.0)) == "5551234567"
    assert as_plain(12.5) == 12.5


def test_a_row_with_data_but_no_key_is_an_invalid_item_of_its_own(tmp_path):
    rows = [*ROWS, ["Bob", "Ray", 5550001111, None]]
    items = sheet_items(workbook(tmp_path / "people.xlsx", rows), source(group_by="order"))
    assert len(items) == 4
    bad = items[-1]
    assert bad.name.endswith("(row 6: no order)")
    assert "row 6 of sheet" in bad.data["source_error"]
    assert "has data but no order (column 'Order')" in bad.data["source_error"]


def test_one_item_carries_the_whole_sheet_as_rows(tmp_path):
    path = workbook(tmp_path / "people.xlsx", ROWS)
    [item] = sheet_items(path, source(one_item="challenge"))
    assert item.name == "people.xlsx challenge"
    assert [row["first"] for row in item.data["rows"]] == ["John", "Jane", "Jane", "Ann"]
    assert item.data["rows"][0] == {"first": "John", "last": "Smith", "phone": "5551234567",
                                    "order": "A-1"}
    assert len(item.data["_provenance"]["rows"]) == 4
    again = sheet_items(path, source(one_item="challenge"))[0]
    assert again.key == item.key and item.key.startswith("people-challenge-")
    changed = workbook(tmp_path / "people.xlsx", [*ROWS[:-1], ["Ann", "Lee", "555", "A-3"]])
    assert sheet_items(changed, source(one_item="challenge"))[0].key != item.key


def test_one_item_can_provide_a_step_output(tmp_path):
    path = workbook(tmp_path / "people.xlsx", ROWS)
    [item] = sheet_items(path, SheetSource.model_validate({
        "sheet": {"path": "x.xlsx", "columns": {"first": "First Name"}, "one_item": "all"},
        "provides": "people"}))
    assert [row["first"] for row in item.data["provides"]["people"]["rows"]] == [
        "John", "Jane", "Jane", "Ann"]


def test_a_one_item_recipe_names_item_rows_and_needs_no_group_by(tmp_path):
    recipe = tmp_path / "whole.yaml"
    recipe.write_text("recipe: whole\nsources:\n  - sheet: {path: x.xlsx, one_item: all, "
                      "columns: {first: First Name}}\nsteps:\n"
                      "  - {id: key, uses: data.check_rules, with: {rules: [{code: X, "
                      "value: '${item.rows}', not_empty: true}]}}\n")
    loaded = load_recipe(str(recipe)).model.sources[0]
    assert isinstance(loaded, SheetSource) and loaded.sheet.one_item == "all"
    recipe.write_text(recipe.read_text().replace("${item.rows}", "${item.first}"))
    with pytest.raises(RecipeError) as raised:
        load_recipe(str(recipe))
    assert "an item has no field 'first'" in str(raised.value.problems)
    recipe.write_text(recipe.read_text().replace("one_item: all, ", ""))
    with pytest.raises(RecipeError) as raised:
        load_recipe(str(recipe))
    assert "give group_by" in str(raised.value.problems)
