"""Golden tests: every purchase-order PDF gives exactly its expected fields, or its code.

The layouts come from the `order` step of recipes/order-entry.yaml; each PDF's expectation sits
beside it in fixtures/orders/inbox/ as ``<name>.expected.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from ruamel.yaml import YAML

from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import BusinessError
from bots.steps.pdf.extract_fields import Params, extract_fields

ROOT = Path(__file__).resolve().parents[3]
INBOX = ROOT / "fixtures" / "orders" / "inbox"
RECIPE = ROOT / "recipes" / "order-entry.yaml"
EXPECTED = sorted(INBOX.glob("*.expected.json"))


def layouts() -> list[dict[str, Any]]:
    """The purchase-order layouts of the order-entry recipe."""
    recipe = YAML(typ="safe").load(RECIPE.read_text(encoding="utf-8"))
    return next(s for s in recipe["steps"] if s["id"] == "order")["with"]["layouts"]


def run(path: Path) -> dict[str, Any]:
    """Run the step as the engine would (validated params, sync function)."""
    params = Params.model_validate({"path": str(path), "layouts": layouts()})
    ctx = StepContext(run_id="test", item=WorkItem(key="k", name=path.name), step_id="order")
    return extract_fields.function(params, ctx)


def test_the_inbox_covers_both_layouts_and_every_case() -> None:
    expectations = [json.loads(path.read_text(encoding="utf-8")) for path in EXPECTED]
    assert len(EXPECTED) >= 4
    assert sum(e["outcome"] == "done" for e in expectations) >= 3
    assert {"ORDER_ALREADY_KEYED", "PRODUCT_NOT_FOUND"} <= {e.get("code") for e in expectations}
    assert {e["fields"]["_layout"] for e in expectations if "fields" in e} == {"keller", "demir"}


@pytest.mark.parametrize("expected_file", EXPECTED, ids=lambda path: path.name[:-14])
def test_golden(expected_file: Path) -> None:
    document = expected_file.with_name(expected_file.name.removesuffix(".expected.json"))
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    if "fields" not in expected:
        with pytest.raises(BusinessError) as raised:
            run(document)
        assert raised.value.code == expected["code"]
        assert document.name in raised.value.message
        return
    output = run(document)
    provenance = output.pop("_provenance")
    confidence = output.pop("_confidence", {})  # our own forms: nothing sent to review
    assert all(entry["score"] >= 0.8 for entry in confidence.values()), confidence
    assert output == expected["fields"]
    assert set(provenance) == {name for name in output if not name.startswith("_")}
    check_value_provenance(document, provenance)
    check_row_provenance(document, output["lines"], provenance["lines"])


def check_value_provenance(document: Path, provenance: dict[str, Any]) -> None:
    """Each single value's box holds words of the text line it names."""
    with pdfplumber.open(document) as pdf:
        for name, source in provenance.items():
            if name == "lines":
                continue
            words = within(pdf.pages[source["page"] - 1], source["box"])
            assert words and all(word in source["text"] for word in words), name


def check_row_provenance(document: Path, lines: list[dict[str, Any]],
                         rows: list[dict[str, Any]]) -> None:
    """One provenance entry per line, whose box on its page holds that line's product code."""
    assert len(rows) == len(lines)
    with pdfplumber.open(document) as pdf:
        for line, source in zip(lines, rows, strict=True):
            assert set(source) == {"page", "box", "text", "rule"}
            words = within(pdf.pages[source["page"] - 1], source["box"])
            assert line["product_code"] in words
            assert line["product_code"] in source["text"].split()
            assert str(line["quantity"]) in source["text"].split()


def within(page: Any, box: list[float]) -> list[str]:
    """The words inside a box (a point of slack around it)."""
    x0, top, x1, bottom = box
    assert 0 <= x0 < x1 <= page.width and 0 <= top < bottom <= page.height
    return page.within_bbox((x0 - 1, top - 1, x1 + 1, bottom + 1)).extract_text().split()


def test_the_two_page_table_reads_rows_from_both_pages_and_skips_the_repeated_header() -> None:
    output = run(INBOX / "po-04-demir-DC-7730.pdf")
    pages = [source["page"] for source in output["_provenance"]["lines"]]
    assert pages == [1] * 8 + [2] * 2
    codes = [line["product_code"] for line in output["lines"]]
    assert len(codes) == len(set(codes)) == 10
    assert "Item" not in codes and not any("Total" in code for code in codes)
    assert output["lines"][-1] == {"product_code": "THERM-HEAD", "quantity": 3,
                                   "unit_price": "16.80"}
