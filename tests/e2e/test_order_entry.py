"""order-entry end to end: a second process from a new recipe, on the same engine.

One item per order from the workbook (rows grouped by PO number) and one per PO PDF; every good
order keyed exactly once with its lines, every bad one an exception with its code; a second run
keys nothing, and a dry run keys nothing while showing what it would have keyed.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bots.ledger import Ledger
from fixtures.recipe_copy import recipe_copy
from tests.e2e.runner_support import ROOT, run_runner

pytestmark = pytest.mark.browser
ORDERS = ROOT / "fixtures" / "orders"


def expected_orders() -> dict[str, dict]:
    """PO number -> expectation, from the workbook's and each PDF's expected-outcome file."""
    expected = json.loads((ORDERS / "orders.xlsx.expected.json").read_text())
    by_po = {f"orders.xlsx {po}": e for po, e in expected.items()}
    for path in sorted((ORDERS / "inbox").glob("*.expected.json")):
        by_po[path.name.removesuffix(".expected.json")] = json.loads(path.read_text())
    return by_po


def lines_of(expectation: dict) -> list[dict]:
    return expectation.get("lines") or expectation.get("fields", {}).get("lines") or []


def test_orders_from_workbook_and_pdfs_keyed_once_with_their_lines(app, tmp_path):
    result = run_runner(app, tmp_path, "order-entry")
    assert result.returncode == 0, result.stderr
    expected = expected_orders()
    done = {name: e for name, e in expected.items() if e["outcome"] == "done"}
    codes = Counter(e["code"] for e in expected.values() if e["outcome"] == "exception")
    assert result.summary["items"] == len(expected)
    assert (result.summary["done"], result.summary["exceptions"]) == (len(done), dict(codes))

    ledger = Ledger(f"sqlite:///{tmp_path / 'bots.sqlite'}")
    outcomes = {row["name"]: (row["status"], row["code"]) for row in ledger.find_items()}
    for name, e in expected.items():
        want = ("done", None) if e["outcome"] == "done" else ("exception", e["code"])
        assert outcomes[name] == want, name

    orders = app.orders()
    assert len(orders) == len(done)
    assert max(Counter((o["account"], o["customer_po"]) for o in orders).values()) == 1
    for name, e in done.items():
        po = e.get("fields", {}).get("po_number") or name.split(" ", 1)[1]
        [order] = [o for o in orders if o["customer_po"] == po]
        keyed = [{k: line[k] for k in ("product_code", "quantity", "unit_price")}
                 for line in order["lines"]]
        assert keyed == lines_of(e), name

    again = run_runner(app, tmp_path, "order-entry")
    assert again.summary["already_finished"] == len(expected)
    assert len(app.orders()) == len(done)


def workbook_only(data) -> None:
    """order-entry without its PDF inbox: the dry run's proof needs one source, not both (the
    copy lives outside the project, so the workbook's path is made absolute)."""
    [workbook] = [source for source in data["sources"] if source["name"] == "workbook"]
    workbook["sheet"]["path"] = str(ROOT / workbook["sheet"]["path"])
    data["sources"] = [workbook]


def test_dry_run_keys_no_order_and_reports_every_line(app, tmp_path):
    recipe = recipe_copy(tmp_path, "order-entry", workbook_only)
    result = run_runner(app, tmp_path, str(recipe), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert app.orders() == []
    report = json.loads(Path(result.summary["dry_run_report"]).read_text())
    by_item = {entry["item"]: entry for entry in report}
    entry = by_item["orders.xlsx DC-7702"]
    assert len(entry["would_submit"]["lines"]) == 5
    workbook = json.loads((ORDERS / "orders.xlsx.expected.json").read_text())
    for po, e in workbook.items():  # every order that would be keyed, with every line
        if e["outcome"] == "done":
            assert len(by_item[f"orders.xlsx {po}"]["would_submit"]["lines"]) == len(e["lines"])
    assert Path(entry["screenshot"]).is_file()
