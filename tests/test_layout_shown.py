"""The layout a document matched, and the fields its rules doubted, are shown where people look:
`exceptions show` and the results workbook's records (issue 11: the layout exported)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.commands.common import database_url
from bots.commands.exception_show import show_exception
from bots.engine.reports import item_records
from bots.kernel import Outcome
from bots.ledger import Ledger
from tests.review.review_helpers import add_item

READ = {"amount": "9400.00", "loss_date": "2026-03-14", "_layout": "northwind",
        "_confidence": {"amount": {"score": 1.0, "reasons": []},
                        "loss_date": {"score": 0.7, "reasons": ["ambiguous date"]}}}


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ledger:
    monkeypatch.setenv("BOTS_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("BOTS_DATABASE_URL", raising=False)
    ledger = Ledger(database_url())
    item_id = add_item(ledger, "claims-intake", "d4" * 16, "claim-09.pdf", "/inbox/claim-09.pdf")
    failed = Outcome.failed({"code": "LOW_CONFIDENCE", "message": "loss_date is doubtful"},
                            "rules", {"claim": READ}, {})
    ledger.record_outcome(item_id, failed)
    return ledger


def test_exceptions_show_names_the_layout_and_the_doubted_fields(
        ledger: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    assert show_exception("d4d4") == 0
    printed = capsys.readouterr().out
    assert "Layout    claim: northwind  doubted: loss_date" in printed


def test_a_report_can_show_the_layout_beside_the_values(ledger: Ledger) -> None:
    [record] = item_records(ledger, "claims-intake")
    assert record["outputs"]["claim"]["_layout"] == "northwind"
    assert record["outputs"]["claim"]["amount"] == "9400.00"
    ledger.close()
