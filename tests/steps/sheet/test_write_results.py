"""sheet.write_results: what it writes, read back with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pydantic import ValidationError

from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import ApplicationError
from bots.steps.sheet.write_results import EXCEPTION_COLOR, Params, write_results

COLUMNS = {"File": "item.name", "Status": "status", "Code": "code", "Message": "message",
           "Reference": "outputs.submit.reference", "Amount": "outputs.claim.amount",
           "Updated": "updated_at"}


def record(name: str, status: str, **fields: Any) -> dict[str, Any]:
    item = {"key": name, "name": name, "path": f"inbox/{name}", "arrived_at": "", "ref": "BOT-1"}
    return {"item": item, "status": status, "code": None, "message": None, "outputs": {},
            "updated_at": "2026-11-22T10:00:00+00:00", **fields}


ITEMS = [
    record("a.pdf", "done", outputs={"submit": {"reference": "CLM-0001"},
                                     "claim": {"amount": "1250.00"}}),
    record("b.pdf", "exception", code="POLICY_NOT_FOUND",
           message="'POL-999999' was not found"),
    record("c.pdf", "done", outputs={"submit": {"reference": "=HYPERLINK(\"x\")"}}),
]


def write(path: Path, items: list[dict[str, Any]], **params: Any) -> dict[str, Any]:
    context = StepContext(run_id="r1", item=WorkItem(key="run", name="run"), step_id="report",
                          items=items)
    return write_results.function(Params(path=str(path), columns=COLUMNS, **params), context)


def rows_of(path: Path, sheet: str = "Results") -> list[tuple[Any, ...]]:
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


def test_writes_a_row_per_item_under_the_header(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "deep" / "results.xlsx"  # folders do not exist yet
    assert write(target, ITEMS) == {"path": str(target), "rows": 3}
    rows = rows_of(target)
    assert rows[0] == tuple(COLUMNS)
    assert rows[1] == ("a.pdf", "done", None, None, "CLM-0001", "1250.00",
                       "2026-11-22T10:00:00+00:00")
    assert rows[2][:4] == ("b.pdf", "exception", "POLICY_NOT_FOUND", "'POL-999999' was not found")
    assert rows[2][4] is None and len(rows) == 4


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    target = tmp_path / "results.xlsx"
    write(target, ITEMS)
    cell = openpyxl.load_workbook(target)["Results"]["E4"]
    assert cell.value == "=HYPERLINK(\"x\")" and cell.data_type == "s"


def test_header_bold_frozen_filtered_and_exceptions_highlighted(tmp_path: Path) -> None:
    target = tmp_path / "results.xlsx"
    write(target, ITEMS, sheet="Claims")
    sheet = openpyxl.load_workbook(target)["Claims"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G4"
    assert sheet["B3"].fill.start_color.rgb == EXCEPTION_COLOR
    assert sheet["B2"].fill.fill_type is None
    assert 10 < sheet.column_dimensions["G"].width <= 60


def test_structures_are_written_as_json(tmp_path: Path) -> None:
    target = tmp_path / "results.xlsx"
    items = [record("d.pdf", "done", outputs={"claim": {"amount": {"value": 5, "c": "EUR"}}})]
    write(target, items)
    assert rows_of(target)[1][5] == '{"value": 5, "c": "EUR"}'


def test_replaces_an_existing_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "results.xlsx"
    write(target, ITEMS)
    write(target, ITEMS[:1])
    assert len(rows_of(target)) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["results.xlsx"]


def test_empty_run_writes_just_the_header(tmp_path: Path) -> None:
    target = tmp_path / "results.xlsx"
    assert write(target, [])["rows"] == 0
    assert rows_of(target) == [tuple(COLUMNS)]


def test_unwritable_target_names_the_file(tmp_path: Path) -> None:
    blocker = tmp_path / "reports"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(ApplicationError) as caught:
        write(blocker / "results.xlsx", ITEMS)
    assert str(blocker / "results.xlsx") in caught.value.message


def test_unknown_source_rejected_with_the_supported_roots() -> None:
    with pytest.raises(ValidationError, match="outputs.submit.reference"):
        Params(path="r.xlsx", columns={"Ref": "output.submit.reference"})


def test_a_relative_path_lands_under_the_runs_state_folder(tmp_path: Path) -> None:
    """Two state folders never overwrite each other's results."""
    for state in (tmp_path / "one", tmp_path / "two"):
        context = StepContext(run_id="r1", item=WorkItem(key="run", name="run"),
                              step_id="report", items=ITEMS, state_dir=state)
        result = write_results.function(
            Params(path="reports/results.xlsx", columns=COLUMNS), context)
        assert result["path"] == str(state / "reports" / "results.xlsx")
        assert rows_of(state / "reports" / "results.xlsx")[0] == tuple(COLUMNS)
