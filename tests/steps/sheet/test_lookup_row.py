"""sheet.lookup_row against the committed policy register and small workbooks made here."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pydantic import ValidationError

from bots import sheet_index, sheets
from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import ApplicationError, BusinessError
from bots.steps.sheet.lookup_row import Params, lookup_row

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
REGISTER = FIXTURES / "policies.xlsx"
POLICIES = json.loads((FIXTURES / "data" / "policies.json").read_text())["policies"]
COLUMNS = {"holder": "Policy Holder", "status": "Status", "inception": "Inception",
           "expiry": "Expiry", "limit": "Sum Insured", "days": "Days to Expiry"}
TYPES = {"inception": "date", "expiry": "date", "limit": "amount", "days": "int"}


def run(**params: Any) -> dict[str, Any]:
    params.setdefault("path", str(REGISTER))
    params.setdefault("key_column", "Policy No.")
    context = StepContext(run_id="r1", item=WorkItem(key="k", name="claim.pdf"), step_id="policy")
    return lookup_row.function(Params(**params), context)


def register(key: Any, **params: Any) -> dict[str, Any]:
    params.setdefault("columns", COLUMNS)
    params.setdefault("types", TYPES)
    return run(key=key, **params)


def workbook(path: Path, rows: list[list[Any]], title: str = "Sheet1") -> Path:
    book = openpyxl.Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_finds_row_below_title_rows_despite_stray_spaces_and_case() -> None:
    found = register("  pol-100871")  # the register holds " POL-100871 "
    assert found["_row"] == 6
    assert found["holder"] == "Jonas Berg"  # "Jonas  Berg " in the cell
    assert found["_provenance"]["holder"] == {"file": str(REGISTER), "sheet": "Register",
                                              "cell": "B6", "text": "Jonas  Berg "}


def test_header_matched_ignoring_case_and_spaces() -> None:
    found = run(key="POL-105209", key_column="  policy   NO. ", columns={"who": "policy holder"})
    assert found["who"] == "Elena García" and found["_row"] == 13


def test_policy_number_format_normalizes_the_key() -> None:
    assert register("pol 105209", key_format="policy_number")["_row"] == 13
    assert register("POL105847", key_format="policy_number")["_row"] == 14


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p["policy_number"])
def test_every_policy_typed_like_the_canonical_data(policy: dict[str, str]) -> None:
    found = register(policy["policy_number"])
    expected_days = (date.fromisoformat(policy["expiry_date"]) - date(2026, 11, 1)).days
    assert (found["status"], found["inception"], found["expiry"], found["limit"]) == (
        policy["status"], policy["effective_date"], policy["expiry_date"],
        policy["coverage_limit"])
    assert found["days"] == expected_days  # the formula column, read from its cached value


def test_serial_number_dates_are_converted() -> None:
    found = register("POL-102118")
    assert found["inception"] == "2025-09-01"
    assert found["_provenance"]["inception"]["text"] == "45901"  # the raw serial, as evidence
    assert register("POL-105847")["expiry"] == "2026-06-30"


def test_untyped_columns_come_back_as_plain_data() -> None:
    found = run(key="POL-100234", columns={"expiry": "Expiry", "limit": "Sum Insured"})
    assert found["expiry"] == "2026-12-31" and found["limit"] == 25000


def test_explicit_header_row(tmp_path: Path) -> None:
    path = workbook(tmp_path / "b.xlsx", [["Code", "x"], ["Code", "Name"], ["a1", "Alpha"]])
    assert run(path=str(path), key_column="Code", header_row=2, key="A1",
               columns={"name": "Name"})["name"] == "Alpha"


def test_formula_without_cached_value_is_reported(tmp_path: Path) -> None:
    path = workbook(tmp_path / "fresh.xlsx", [["Key", "Start", "Days"],
                                              ["K1", datetime(2026, 1, 1), "=B2-DATE(2025,1,1)"]])
    assert run(path=str(path), key_column="Key", key="k1", columns={"start": "Start"},
               types={"start": "date"})["start"] == "2026-01-01"
    with pytest.raises(ApplicationError) as caught:
        run(path=str(path), key_column="Key", key="k1", columns={"days": "Days"})
    assert caught.value.code == "SHEET_INVALID"
    assert "C2" in caught.value.message and "open and save the file in Excel" in str(caught.value)


def test_missing_sheet_lists_the_sheets() -> None:
    with pytest.raises(ApplicationError) as caught:
        register("POL-100234", sheet="Regster")
    assert caught.value.code == "SHEET_INVALID"
    assert "'Register', 'Notes'" in caught.value.message
    assert "did you mean 'Register'?" in caught.value.message


def test_missing_column_lists_headers_with_did_you_mean() -> None:
    with pytest.raises(ApplicationError) as caught:
        register("POL-100234", columns={"limit": "Sum insurd"}, types={})
    message = caught.value.message
    assert caught.value.code == "SHEET_INVALID"
    assert "'Sum insurd'" in message and "did you mean 'Sum Insured'?" in message
    assert "'Policy No.', 'Policy Holder'" in message and str(REGISTER) in message


def test_missing_key_column_names_it() -> None:
    with pytest.raises(ApplicationError) as caught:
        register("POL-100234", key_column="Policy Nr")
    assert "no header 'Policy Nr'" in caught.value.message
    assert "did you mean 'Policy No.'?" in caught.value.message


def test_not_found_raises_the_configured_code() -> None:
    with pytest.raises(BusinessError) as caught:
        register("POL-999999", not_found_code="POLICY_NOT_FOUND")
    assert caught.value.code == "POLICY_NOT_FOUND"
    assert "'POL-999999'" in caught.value.message and str(REGISTER) in caught.value.message
    with pytest.raises(BusinessError) as default:
        register("POL-999999")
    assert default.value.code == "ROW_NOT_FOUND"


@pytest.mark.parametrize("key", ["", "   ", None])
def test_empty_key_raises_the_missing_key_code(key: Any) -> None:
    with pytest.raises(BusinessError) as caught:
        register(key, missing_key_code="POLICY_MISSING")
    assert caught.value.code == "POLICY_MISSING"


def test_cell_that_is_not_the_asked_type(tmp_path: Path) -> None:
    path = workbook(tmp_path / "b.xlsx", [["Key", "Start"], ["K1", "soon"]])
    with pytest.raises(BusinessError) as caught:
        run(path=str(path), key_column="Key", key="K1", columns={"s": "Start"},
            types={"s": "date"})
    assert caught.value.code == "FIELD_INVALID" and "B2" in caught.value.message


@pytest.mark.parametrize("content", [None, b"Policy No.;Status\nPOL-1;ACTIVE\n", b"PK\x03\x04xx"])
def test_unreadable_files_are_sheet_invalid(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "register.xlsx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ApplicationError) as caught:
        register("POL-100234", path=str(path))
    assert caught.value.code == "SHEET_INVALID" and str(path) in caught.value.message
    assert ("does not exist" if content is None else "save it as") in caught.value.message


def test_zip_without_a_workbook_is_sheet_invalid(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ApplicationError, match="cannot be read as an .xlsx"):
        register("POL-100234", path=str(path))


def test_workbook_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    shutil.copy(REGISTER, path)
    assert sheets.load_book(str(path)) is sheets.load_book(str(path))
    book = openpyxl.load_workbook(path)
    book["Register"]["D5"] = "LAPSED"
    book.save(path)
    os.utime(path, ns=(1, 1_000_000_000))  # a distinct mtime even on coarse clocks
    assert run(path=str(path), key="POL-100234", columns={"s": "Status"})["s"] == "LAPSED"


def test_concurrent_lookups_share_one_load(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    shutil.copy(REGISTER, path)
    before = sheet_index.index_builds()
    numbers = [p["policy_number"] for p in POLICIES] * 4
    with ThreadPoolExecutor(max_workers=8) as pool:
        rows = list(pool.map(lambda n: run(path=str(path), key=n)["_row"], numbers))
    assert rows == [5 + i % 10 for i in range(40)]
    assert sheet_index.index_builds() - before == 1


def test_params_reject_unknown_keys_and_unknown_type_names() -> None:
    with pytest.raises(ValidationError, match="extra"):
        Params.model_validate({"path": "p.xlsx", "key_column": "K", "key": "1", "colums": {}})
    with pytest.raises(ValidationError, match="not in columns"):
        Params(path="p.xlsx", key_column="K", key="1", columns={"a": "A"}, types={"b": "date"})
    with pytest.raises(ValidationError, match="output names"):
        Params(path="p.xlsx", key_column="K", key="1", columns={"_row": "A"})
