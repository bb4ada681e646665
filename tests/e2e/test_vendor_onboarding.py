"""vendor-onboarding end to end: a supplier portal nobody here wrote, keyed from a workbook.

Every control of the portal's form is labelled another way (iframe and shadow DOM included),
Submit stays disabled until the form is valid and asks confirm(). Each request is registered
exactly once with every value right, its reference read back; the work list is read once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bots.ledger import Ledger
from fixtures.practice_app import PracticeApp, launch
from fixtures.recipe_copy import recipe_copy
from tests.e2e.practice_runner import CREDENTIALS, ROOT, run_recipe

pytestmark = pytest.mark.browser
WORKBOOK = ROOT / "fixtures" / "practice" / "vendors.xlsx"
COUNTRY_CODES = {"Germany": "DE", "France": "FR", "Netherlands": "NL", "United Kingdom": "GB"}
ON_HOLD = "REQ-0999"  # in the workbook, but on hold at the portal: refused, never registered


@pytest.fixture(scope="module")
def practice() -> Iterator[PracticeApp]:
    with launch(env=CREDENTIALS) as app:
        yield app


def expected_vendors() -> dict[str, dict[str, Any]]:
    """Request id -> the record the portal should hold, from the workbook."""
    sheet = load_workbook(WORKBOOK, data_only=True)["Requests"]
    rows = sheet.iter_rows(values_only=True)
    headers = next(rows)
    expected = {}
    for values in rows:
        row = dict(zip(headers, values, strict=False))
        certificate = ROOT / str(row["Certificate"])
        expected[row["Request"]] = {
            "request": row["Request"], "vendor_name": row["Vendor"], "tax_id": row["Tax ID"],
            "email": row["Contact Email"], "phone": row["Phone"], "iban": row["IBAN"],
            "bic": row["BIC"], "payment_terms": str(row["Payment Terms"]),
            "vendor_type": str(row["Vendor Type"]).lower(),
            "country": COUNTRY_CODES[row["Country"]],
            "contract_start": row["Contract Start"].date().isoformat(),
            "cost_centre": row["Cost Centre"], "note": row["Note"] or "",
            "bank_confirmed": True,
            "certificate": {"name": Path(certificate).name, "size": certificate.stat().st_size,
                            "sha256": hashlib.sha256(certificate.read_bytes()).hexdigest()}}
    return expected


def test_every_request_registered_once_with_every_value(practice, tmp_path):
    practice.reset()
    result = run_recipe(practice, tmp_path, "vendor-onboarding")
    assert result.returncode == 0, result.stderr[-3000:]
    expected = expected_vendors()
    summary = result.summary
    assert (summary["items"], summary["done"]) == (len(expected), len(expected) - 1)
    assert summary["exceptions"] == {"REQUEST_NOT_PENDING": 1}  # the portal's refusal, mapped
    worklist = summary["batch"]["before"]["worklist"]  # read once, before the items
    assert [row["Request"] for row in worklist["requests"]] == list(expected)
    assert worklist["requests"][-1]["Status"] == "On hold"
    del expected[ON_HOLD]

    assert practice.vendor_sessions()["sign_ons"] == 1  # one signed-on page served the batch
    vendors = practice.vendors()
    assert sorted(v["request"] for v in vendors) == sorted(expected)  # each exactly once
    for vendor in vendors:
        kept = {k: vendor[k] for k in expected[vendor["request"]]}
        assert kept == expected[vendor["request"]], vendor["request"]

    ledger = Ledger(f"sqlite:///{tmp_path / 'bots.sqlite'}")
    references = {row["name"].split()[-1]: row["reference"] for row in ledger.find_items()}
    assert references == {**{v["request"]: v["reference"] for v in vendors}, ON_HOLD: None}

    again = run_recipe(practice, tmp_path, "vendor-onboarding")
    assert again.summary["already_finished"] == len(expected) + 1
    assert len(practice.vendors()) == len(expected)


def test_a_wiped_state_folder_registers_nothing_twice(practice, tmp_path):
    practice.reset()
    first = run_recipe(practice, tmp_path / "first", "vendor-onboarding")
    assert first.summary["done"] == 3, first.stderr[-3000:]  # and REQ-0999 refused
    registered = {v["request"]: v["reference"] for v in practice.vendors()}

    again = run_recipe(practice, tmp_path / "wiped", "vendor-onboarding")  # no record of run 1
    assert again.returncode == 0, again.stderr[-3000:]
    assert (again.summary["done"], again.summary["already_finished"]) == (3, 0)
    assert {v["request"]: v["reference"] for v in practice.vendors()} == registered
    ledger = Ledger(f"sqlite:///{tmp_path / 'wiped' / 'bots.sqlite'}")
    found = {row["name"].split()[-1]: row["reference"] for row in ledger.find_items()}
    assert found == {**registered, ON_HOLD: None}  # the portal's own references, via the check


def test_two_workers_each_sign_on_their_own_page_and_register_each_request_once(practice,
                                                                                tmp_path):
    def two_workers(data: Any) -> None:
        data["sources"][0]["sheet"]["path"] = str(WORKBOOK)
        data["settings"]["concurrency"] = 2

    practice.reset()
    recipe = recipe_copy(tmp_path, "vendor-onboarding", two_workers)
    result = run_recipe(practice, tmp_path / "state", str(recipe))
    assert result.returncode == 0, result.stderr[-3000:]
    assert (result.summary["done"], result.summary["exceptions"]) == (
        3, {"REQUEST_NOT_PENDING": 1})
    assert sorted(v["request"] for v in practice.vendors()) == ["REQ-1001", "REQ-1002",
                                                                 "REQ-1003"]
    assert practice.vendor_sessions()["sign_ons"] == 2  # a page per worker, each signed on
