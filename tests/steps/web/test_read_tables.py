"""read_table on real pages in real Chromium: result grids, legacy work lists, ARIA grids,
frames and shadow roots."""

from __future__ import annotations

from typing import Any

import pytest

from bots.kernel.errors import ApplicationError
from bots.web.reading import read_value
from bots.web.tables import TableSpec, read_table
from bots.web.targets import ControlMissing
from tests.steps.web.read_pages import Opener, read_page
from tests.steps.web.web_helpers import Run

__all__ = ["read_page"]  # the fixture, imported for pytest

PENDING = [
    {"Ref": "W-1001", "Policy No.": "POL-100234", "Received": "11/02/2026",
     "Amount": "1,250.50", "Handler": "KR"},
    {"Ref": "W-1002", "Policy No.": "POL-100555", "Received": "11/02/2026",  # a rowspan
     "Amount": "980.00", "Handler": "KR"},
    {"Ref": "W-1003", "Policy No.": "POL-200001", "Received": "11/03/2026",
     "Amount": "15.00", "Handler": ""},
]


def table(run: Run, page: Any, **spec: Any) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = run(read_table(page, TableSpec.model_validate(spec)))
    return rows


def test_a_result_grid_with_several_rows(run: Run, read_page: Opener) -> None:
    page = read_page("results.html")
    rows = table(run, page, headers=["Claim Reference", "Status"])
    assert [row["Claim Reference"] for row in rows] == ["CLM-000001", "CLM-000002", "CLM-000003"]
    assert rows[1] == {"Claim Reference": "CLM-000002", "Policy Number": "POL-100234",
                       "Date of Loss": "03/02/2024", "Amount": "980.00", "Status": "PAID"}


def test_columns_map_headers_to_names(run: Run, read_page: Opener) -> None:
    page = read_page("results.html")
    rows = table(run, page, near="Claims found",
                 columns={"reference": "claim reference", "loss_date": "Date of Loss:"})
    assert rows[0] == {"reference": "CLM-000001", "loss_date": "03/01/2024"}


def test_several_fitting_tables_are_ambiguous(run: Run, read_page: Opener) -> None:
    page = read_page("results.html")
    with pytest.raises(ControlMissing, match="2 tables on .* fit the table 'table'") as raised:
        table(run, page)
    assert raised.value.ambiguous
    assert "after 'Your last search' [Searched, Hits]" in raised.value.message


def test_a_missing_table_names_the_tables_there(run: Run, read_page: Opener) -> None:
    page = read_page("results.html")
    with pytest.raises(ControlMissing, match="No table on .* fits") as raised:
        table(run, page, headers=["Claim Reference", "Handler"])
    assert "[Claim Reference, Policy Number, Date of Loss, Amount, Status]" in raised.value.message
    with pytest.raises(ControlMissing, match="no column 'Handler'"):
        table(run, page, selector="table.grid >> nth=0", columns={"who": "Handler"})


def test_a_legacy_work_list_laid_out_in_tables(run: Run, read_page: Opener) -> None:
    page = read_page("worklist.html")
    assert table(run, page, caption="Pending work items") == PENDING
    assert table(run, page, headers=["Ref", "Handler"]) == PENDING
    with pytest.raises(ControlMissing, match="2 tables"):  # both have Ref and an Amount
        table(run, page, headers=["Ref", "Amount"])


def test_no_records_reads_as_no_rows(run: Run, read_page: Opener) -> None:
    page = read_page("worklist.html")
    assert table(run, page, near="Closed today") == []
    assert table(run, page, near="Closed today", columns={"paid": "Amount", "on": "Date"}) == []
    assert table(run, page, headers=["Settlement Date"]) == []  # headers over two rows


def test_more_rows_than_the_limit_is_an_error(run: Run, read_page: Opener) -> None:
    page = read_page("worklist.html")
    assert len(table(run, page, caption="Pending work items", max_rows=3)) == 3
    with pytest.raises(ApplicationError, match="more than 2 rows") as raised:
        table(run, page, caption="Pending work items", max_rows=2)
    assert raised.value.details["max_rows"] == 2 and raised.value.code == "TOO_MANY_ROWS"


def test_an_aria_grid_of_divs(run: Run, read_page: Opener) -> None:
    page = read_page("grid.html")
    assert table(run, page, caption="My tasks") == [
        {"Task": "Call Maria", "Due": "11/30/2026", "Done": "yes"},
        {"Task": "Check policy", "Due": "12/01/2026", "Done": "no"}]


def test_one_row_of_an_aria_grid_is_read_by_its_header(run: Run, read_page: Opener) -> None:
    page = read_page("grid.html")
    run(page.evaluate("() => document.querySelectorAll('[role=row]')[2].remove()"))
    assert run(read_value(page, "Due")) == "11/30/2026"  # the hidden row is no record
    assert run(read_value(page, "Task")) == "Call Maria"  # cells inside a wrapper count


def test_a_table_in_a_shadow_root(run: Run, read_page: Opener) -> None:
    page = read_page("grid.html")
    assert table(run, page, near="Payments") == [
        {"Payee": "Maria Keller", "Sum": "1,250.50"}, {"Payee": "Plumber Ltd", "Sum": "310.00"}]


@pytest.mark.parametrize("frame", ["content", "Claims list", "iframe[src*=framed]"])
def test_a_table_in_an_iframe(run: Run, read_page: Opener, frame: str) -> None:
    page = read_page("framed.html")
    assert table(run, page, caption="Claims", frame=frame) == [
        {"Claim": "CL-77", "Status": "OPEN"}, {"Claim": "CL-78", "Status": "CLOSED"}]


def test_a_missing_frame_names_the_frames_there(run: Run, read_page: Opener) -> None:
    page = read_page("framed.html")
    with pytest.raises(ControlMissing, match="No frame 'details'.*'content'"):
        table(run, page, frame="details")


TABLE_LATER = """() => setTimeout(() => document.body.insertAdjacentHTML('beforeend',
  '<table id="late"><tr><th>Late</th></tr><tr><td>row 1</td></tr></table>'), 300)"""


def test_a_table_drawn_late_is_waited_for(run: Run, read_page: Opener) -> None:
    page = read_page("results.html")
    run(page.evaluate(TABLE_LATER))
    with pytest.raises(ControlMissing, match="No table"):
        table(run, page, headers=["Late"])
    rows = run(read_table(page, TableSpec.model_validate({"selector": "#late"}), wait_s=5))
    assert rows == [{"Late": "row 1"}]
