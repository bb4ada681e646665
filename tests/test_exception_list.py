"""`exceptions` on an 80-column terminal: no line wraps, and the IDs it prints name one item."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.commands import exceptions
from bots.commands.common import database_url
from bots.ledger import Ledger
from bots.ledger.actions import find_item
from tests.review.review_helpers import add_item


def test_the_queue_fits_80_columns_and_its_ids_work(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BOTS_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("BOTS_DATABASE_URL", raising=False)
    monkeypatch.setattr(exceptions, "terminal_width", lambda _stream: 80)
    ledger = Ledger(database_url())
    for po in ("BE-2026-0422", "BE-2026-0431", "DC-7711"):
        add_item(ledger, "order-entry", f"workbook-{po}", f"orders.xlsx {po}", "/o.xlsx",
                 status="exception", code="QUANTITY_OVER_STOCK", step="not_keyed", message="m")
    add_item(ledger, "claims-intake", "4307fdcc9f9f2f3cda0628c9",
             "claim-08-northwind-unknown-policy-with-a-very-long-name.pdf", "/c.pdf",
             status="exception", code="POLICY_NOT_FOUND", step="policy", message="m")
    assert exceptions.list_exceptions() == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    table = lines[1:5]
    assert [find_item(ledger, line.split()[0])["name"][:20] for line in table] == [
        "orders.xlsx BE-2026-", "orders.xlsx BE-2026-", "orders.xlsx DC-7711",
        "claim-08-northwind-u"]
    assert table[3].endswith("…")  # the long name cut to the width, visibly
    ledger.close()
