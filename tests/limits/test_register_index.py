"""Large registers: sheet.lookup_row indexes a register once per run, streaming it.

The registers are written here by fixtures/big_register.py (small enough to stay fast; the
report of issue 9 measures a million rows with the same code).
"""

from __future__ import annotations

import os
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import ApplicationError
from bots.sheet_index import index_builds
from bots.steps.sheet.lookup_row import Params, lookup_row
from fixtures.big_register import policy_number, write_register

ROWS = 3000
COLUMNS = {"holder": "Policy Holder", "status": "Status", "expiry": "Expiry",
           "limit": "Sum Insured"}


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_register(tmp_path_factory.mktemp("registers") / "register.xlsx", ROWS)


def look_up(path: Path, index: int, **params: Any) -> dict[str, Any]:
    checked = Params.model_validate({
        "path": str(path), "key_column": "Policy No.", "key": policy_number(index),
        "key_format": "policy_number", "columns": COLUMNS,
        "types": {"expiry": "date", "limit": "amount"}, **params})
    ctx = StepContext(run_id="r", item=WorkItem(key=str(index), name="claim"), step_id="policy")
    result: dict[str, Any] = lookup_row.function(checked, ctx)
    return result


def test_many_items_share_one_index_built_once(register: Path) -> None:
    before = index_builds()
    picks = [(i * 7919) % ROWS for i in range(60)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        found = list(pool.map(lambda i: look_up(register, i), picks))
    assert index_builds() - before == 1
    assert [row["_row"] for row in found] == [i + 4 for i in picks]  # title, blank, header
    assert found[0]["holder"] == f"Holder {picks[0]}"
    assert found[1]["_provenance"]["limit"]["cell"] == f"F{picks[1] + 4}"


def test_a_changed_register_is_read_again(tmp_path: Path) -> None:
    path = write_register(tmp_path / "register.xlsx", 20)
    assert look_up(path, 5)["status"] == "Active"
    book = openpyxl.load_workbook(path)
    book["Register"]["C9"] = "Lapsed"
    book.save(path)
    os.utime(path, ns=(1, 1_000_000_000))  # a distinct mtime even on coarse clocks
    before = index_builds()
    assert look_up(path, 5)["status"] == "Lapsed"
    assert index_builds() - before == 1


def test_the_index_keeps_only_the_asked_columns(tmp_path: Path) -> None:
    path = write_register(tmp_path / "register.xlsx", 6000)
    tracemalloc.start()
    try:
        assert look_up(path, 5999, columns={"status": "Status"}, types={})["_row"] == 6003
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # measured: loading these 36,000 cells as a workbook peaked at 15 MB; the index at 4
    assert peak < 8 * 1024 * 1024, f"{peak / 1e6:.0f} MB allocated for one lookup"


def test_a_missing_column_is_named_before_any_row_is_indexed(register: Path) -> None:
    with pytest.raises(ApplicationError) as raised:
        look_up(register, 1, columns={"x": "Sum Insurd"}, types={})
    assert raised.value.code == "SHEET_INVALID"
    assert "did you mean 'Sum Insured'?" in raised.value.message
