"""Golden tests: every fixture claim gives exactly its expected fields, or its expected code.

The layouts come from the `claim` step of recipes/claims-intake.yaml, the rules the recipe
uses; each document's expectation sits beside it as ``<name>.expected.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from ruamel.yaml import YAML

from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import CODES, BusinessError
from bots.steps.pdf.extract_fields import Params, extract_fields

ROOT = Path(__file__).resolve().parents[3]
CLAIMS = ROOT / "fixtures" / "claims"
RECIPE = ROOT / "recipes" / "claims-intake.yaml"
EXPECTED = sorted(CLAIMS.glob("*.expected.json"))


def layouts() -> list[dict[str, Any]]:
    """The claims recipe's layout rule sets."""
    recipe = YAML(typ="safe").load(RECIPE.read_text(encoding="utf-8"))
    claim = next(step for step in recipe["steps"] if step["id"] == "claim")
    return claim["with"]["layouts"]


def run(path: Path) -> dict[str, Any]:
    """Run the step as the engine would (sync function, validated params)."""
    params = Params.model_validate({"path": str(path), "layouts": layouts()})
    ctx = StepContext(run_id="test", item=WorkItem(key="k", name=path.name), step_id="claim")
    return extract_fields.function(params, ctx)


def test_the_fixture_set_covers_every_case() -> None:
    expectations = [json.loads(path.read_text()) for path in EXPECTED]
    codes = {e.get("code") for e in expectations}
    assert len(EXPECTED) >= 14
    assert sum(e["outcome"] == "done" for e in expectations) >= 6
    assert {"POLICY_MISSING", "POLICY_NOT_FOUND", "POLICY_LAPSED", "AMOUNT_OVER_LIMIT",
            "CORRUPT_PDF", "ENCRYPTED_PDF", "NO_TEXT_LAYER", "EMPTY_FILE", "NOT_A_PDF",
            "UNKNOWN_LAYOUT"} <= codes
    assert {e["fields"]["_layout"] for e in expectations if "fields" in e} == {
        "acme", "northwind", "harbor"}


@pytest.mark.parametrize("expected_file", EXPECTED, ids=lambda path: path.name[:-14])
def test_golden(expected_file: Path) -> None:
    document = expected_file.with_name(expected_file.name.removesuffix(".expected.json"))
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    if "fields" in expected:
        check_fields(document, expected["fields"])
    else:
        with pytest.raises(BusinessError) as raised:
            run(document)
        assert raised.value.code == expected["code"]
        assert expected["code"] in CODES
        assert document.name in raised.value.message


def check_fields(document: Path, fields: dict[str, Any]) -> None:
    """Exactly the expected values, and a provenance entry locating each of them."""
    output = run(document)
    provenance = output.pop("_provenance")
    confidence = output.pop("_confidence", {})  # our own forms: nothing sent to review
    assert all(entry["score"] >= 0.8 for entry in confidence.values()), confidence
    assert output == fields
    assert set(provenance) == {name for name, value in fields.items()
                               if not name.startswith("_") and value is not None}
    with pdfplumber.open(document) as pdf:
        for name, source in provenance.items():
            page = pdf.pages[source["page"] - 1]
            x0, top, x1, bottom = source["box"]
            assert 0 <= x0 < x1 <= page.width and 0 <= top < bottom <= page.height, name
            assert source["text"] and source["rule"]
            if source["rule"].startswith("label"):
                # the box holds the words the value was read from, on that very line
                words = page.within_bbox((x0 - 1, top - 1, x1 + 1, bottom + 1)).extract_text()
                assert words, name
                assert all(line in source["text"] for line in words.splitlines()), name
