"""Bad spreadsheets through the real step and the real sheet source, with the real recipes'
parameters: each gives its expected code (or reads as a person would) and names the file."""

from __future__ import annotations

from typing import Any

import pytest

from bots.engine.sources.sheet import sheet_items
from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import BotError
from bots.recipe import load_recipe
from bots.recipe.model import SheetSource
from bots.steps.sheet.lookup_row import Params, lookup_row
from fixtures.recipe_copy import recipe_copy
from tests.bad_inputs.bad_helpers import CORPUS, ROOT, expected, run_runner, runner_env

SHEETS = expected("sheets")
REGISTERS = sorted(name for name in SHEETS if name.startswith("register-"))
ORDER_BOOKS = sorted(name for name in SHEETS if name.startswith("orders-"))


@pytest.fixture(autouse=True)
def _at_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def policy_lookup(name: str) -> dict[str, Any]:
    """claims-intake's `policy` step over a corpus register: its output, or the error."""
    recipe = load_recipe("claims-intake")
    values = recipe.model.model_dump(by_alias=True)["steps"][1]["with"]
    params = Params(**{**values, "path": str(CORPUS / "sheets" / name),
                       "key": SHEETS[name]["key"]})
    context = StepContext(run_id="test", item=WorkItem(key="k", name=name), step_id="policy")
    return lookup_row.function(params, context)


def order_source(name: str) -> SheetSource:
    """order-entry's workbook source, reading a corpus workbook instead."""
    source = load_recipe("order-entry").model.all_sources[0]
    assert isinstance(source, SheetSource)
    sheet = source.sheet.model_copy(update={"path": str(CORPUS / "sheets" / name)})
    return source.model_copy(update={"sheet": sheet})


@pytest.mark.parametrize("name", REGISTERS)
def test_register_lookup_gives_the_expected_outcome(name: str) -> None:
    wanted = SHEETS[name]
    if wanted["outcome"] == "done":
        found = policy_lookup(name)
        assert found["_row"] == wanted.get("row", found["_row"])
        assert {k: found[k] for k in wanted.get("values", {})} == wanted.get("values", {})
        assert found["holder"] == "Maria Keller" and found["coverage_limit"] == "5000.00"
        return
    with pytest.raises(BotError) as raised:
        policy_lookup(name)
    assert raised.value.code == wanted["code"]
    assert name in raised.value.message
    assert wanted.get("message_has", "") in raised.value.message


@pytest.mark.parametrize("name", ORDER_BOOKS)
def test_order_workbook_gives_the_expected_items(name: str) -> None:
    wanted = SHEETS[name]
    path = CORPUS / "sheets" / name
    if wanted["outcome"] == "exception":
        with pytest.raises(BotError) as raised:
            sheet_items(path, order_source(name))
        assert (raised.value.code, name in raised.value.message) == (wanted["code"], True)
        return
    items = {item.key.removeprefix("workbook-"): item for item in sheet_items(path,
                                                                             order_source(name))}
    outcomes = {po: "SOURCE_ROW_INVALID" if item.data.get("source_error") else "ok"
                for po, item in items.items()}
    assert outcomes == wanted["items"]
    for po, count in wanted.get("lines", {}).items():
        order = items[po].data["provides"]["order"]
        assert len(order["lines"]) == count and order["account"] == "K-1001"


def test_a_workbook_without_a_needed_column_stops_the_run_with_exit_2(tmp_path) -> None:
    def read_corpus_workbook(data: Any) -> None:
        data["sources"][0]["sheet"]["path"] = str(CORPUS / "sheets" / "orders-missing-header.xlsx")
        data["sources"][1]["folder"] = str(tmp_path)

    recipe = recipe_copy(tmp_path, "order-entry", read_corpus_workbook)
    result = run_runner(runner_env("http://127.0.0.1:9", "unused", tmp_path / "state"),
                        str(recipe))
    assert result.returncode == 2, result.stderr
    assert "column 'Unit Price' does not exist" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
