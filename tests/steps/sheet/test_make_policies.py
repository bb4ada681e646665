"""The policy register generator: deterministic, current, and with the quirks it promises."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

from fixtures import make_policies


def test_two_runs_write_identical_bytes_equal_to_the_committed_file(tmp_path: Path) -> None:
    first = make_policies.build(target=tmp_path / "one.xlsx").read_bytes()
    second = make_policies.build(target=tmp_path / "two.xlsx").read_bytes()
    assert first == second
    assert first == make_policies.TARGET.read_bytes(), "run python -m fixtures.make_policies"


def test_register_layout_and_quirks() -> None:
    book = openpyxl.load_workbook(make_policies.TARGET)
    assert book.sheetnames == ["Register", "Notes"]
    sheet = book["Register"]
    assert sheet["A1"].value == "ACME Mutual - Policy Register" and sheet["A3"].value is None
    assert [c.value for c in sheet[4]] == make_policies.HEADERS
    assert sheet["A6"].value == " POL-100871 " and sheet["B6"].value == "Jonas  Berg "
    assert isinstance(sheet["E5"].value, datetime) and sheet["E5"].number_format == "DD.MM.YYYY"
    assert sheet["E8"].value == 45901 and sheet["F14"].value == 46203  # bare serial numbers
    assert sheet["I5"].value == "=F5-DATE(2026,11,1)"
    assert sheet["D12"].value == "LAPSED" and sheet["A12"].value == "POL-104663"
    assert sheet.max_row == 14


def test_formula_cells_carry_cached_values() -> None:
    values = openpyxl.load_workbook(make_policies.TARGET, data_only=True)["Register"]
    assert [values.cell(r, 9).value for r in range(5, 15)] == [
        60, -140, 119, -62, 100, -215, 60, -305, -1, -124]


def test_workbook_properties_are_fixed() -> None:
    with zipfile.ZipFile(make_policies.TARGET) as archive:
        core = archive.read("docProps/core.xml").decode()
        stamps = {info.date_time for info in archive.infolist()}
    assert re.findall(r"<dcterms:\w+[^>]*>([^<]*)<", core) == ["2026-11-01T08:00:00Z"] * 2
    assert stamps == {(2026, 11, 1, 8, 0, 0)}
