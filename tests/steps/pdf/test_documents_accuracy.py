"""documents-intake on the documents nobody here wrote: no silent wrong value, and a floor of
fields right per layout (measured with `python -m bench.doc_accuracy`; raise it as rules and
the toolkit improve, never lower it to make a change pass)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.doc_accuracy import DOCUMENTS, judge, main, measure
from bench.doc_outcome import Reading
from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import BusinessError
from bots.steps.pdf.extract_fields import Params, extract_fields

# fields right per layout at the last measurement (of: fields in the truth)
FLOORS = {"letter": 24, "bilingual": 24, "belgian": 18, "checkbox": 24, "acroform": 27,
          "scan": 24, "invoice": 381, "einvoice": 48, "rechnung": 76}


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return measure("documents-intake", DOCUMENTS)


def test_every_document_was_read_with_its_own_layout_or_flagged(result: dict[str, Any]) -> None:
    assert len(result["documents"]) >= 6 * 3
    for document in result["documents"]:
        assert document["chosen_layout"] in (document["layout"], None), document["file"]
        if document["chosen_layout"] is None:
            assert document["problems"], document["file"]


def test_no_wrong_value_is_silent(result: dict[str, Any]) -> None:
    silent = [(document["file"], field["field"], field["value"], field["truth"])
              for document in result["documents"] for field in document["fields"]
              if field["bucket"] == "silent_wrong"]
    assert not silent, f"wrong values nobody flagged: {silent}"


@pytest.mark.parametrize("layout", sorted(FLOORS))
def test_fields_right_not_below_the_floor(result: dict[str, Any], layout: str) -> None:
    row = result["layouts"][layout]
    assert row["right"] >= FLOORS[layout], (layout, row)


def test_a_wrong_value_counts_as_silent_unless_a_problem_names_it() -> None:
    truth = {"amount": "1278.61", "lines": [{"quantity": "1", "unit_price": "278.61"}]}
    read = {"amount": "1278.61", "lines": [{"quantity": 1, "unit_price": "1278.61"}]}
    buckets = {v.field: v.bucket for v in judge(Reading(read, "x", 0.0), truth)}
    assert buckets == {"amount": "right", "lines[0].quantity": "right",
                       "lines[0].unit_price": "silent_wrong"}
    flagged = Reading(read, "x", 0.0, [{"field": "lines", "code": "LOW_CONFIDENCE"}])
    assert {v.field: v.bucket for v in judge(flagged, truth)}["lines[0].unit_price"] == "flagged"
    cell = Reading(read, "x", 0.0, [{"field": "lines", "row": 1, "column": "quantity",
                                     "code": "FIELD_INVALID"}])
    assert {v.field: v.bucket for v in judge(cell, truth)}["lines[0].unit_price"] == \
        "silent_wrong"  # a problem in another cell of the row does not excuse this one
    unreadable = Reading({}, None, 0.0, [{"field": None, "code": "NO_TEXT_LAYER"}])
    assert {v.bucket for v in judge(unreadable, truth)} == {"flagged"}
    assert {v.bucket for v in judge(Reading({}, "x", 0.0), truth)} == {"missing"}


def read_with(path: Path, fields: dict[str, Any],
              when: str = "Invoice") -> tuple[dict[str, Any], list[str]]:
    """One layout of ``fields`` on ``path``: the values read and the problem codes by field."""
    params = Params.model_validate({"path": str(path), "layouts": [
        {"name": "trap", "when": [when], "fields": fields}]})
    ctx = StepContext(run_id="t", item=WorkItem(key="k", name=path.name), step_id="s")
    try:
        return extract_fields.function(params, ctx), []
    except BusinessError as error:
        problems = error.details.get("problems") or [error.details]
        return error.details.get("partial") or {}, [
            f"{problem.get('field')}:{problem.get('code')}" for problem in problems]


def test_a_bare_dollar_the_layout_does_not_settle_is_never_a_silent_usd() -> None:
    path = DOCUMENTS / "invoice-01.pdf"  # 'Total due $...'; only the footer says Canadian dollars
    unsettled = {"amount_due": {"label": "Total due", "type": "amount"}}
    values, problems = read_with(path, unsettled)
    assert values.get("currency") != "USD" or any(p.startswith(("amount_due:", "currency:"))
                                                  for p in problems), (values, problems)
    settled = {"amount_due": {"label": "Total due", "type": "amount", "default_currency": "CAD"}}
    values, problems = read_with(path, settled)
    total = json.loads((DOCUMENTS / "invoice-01.pdf.truth.json").read_text())["fields"]["total"]
    assert (values["amount_due"], values["currency"], problems) == (total, "CAD", [])


def test_a_quantity_next_to_a_price_is_never_one_spaced_figure() -> None:
    path = DOCUMENTS / "invoice-01.pdf"  # 'Autoclave service visit, incl. parts 1 278.61 278.61'
    values, problems = read_with(path, {"price": {
        "label": "Autoclave service visit, incl. parts", "type": "amount", "max_gap": 60}})
    assert values.get("price") != "1278.61" or problems, (values, problems)


def test_a_short_form_field_name_used_twice_is_refused_naming_both() -> None:
    path = DOCUMENTS / "acroform-01.pdf"  # Witness[0].Name[0] and Agent[0].Name[0]
    params = Params.model_validate({"path": str(path), "layouts": [
        {"name": "trap", "when": ["CC-210"], "fields": {"witness": {"form_field": "Name[0]"}}}]})
    ctx = StepContext(run_id="t", item=WorkItem(key="k", name=path.name), step_id="s")
    with pytest.raises(BusinessError) as raised:
        extract_fields.function(params, ctx)
    assert "Witness[0].Name[0]" in raised.value.message
    assert "Agent[0].Name[0]" in raised.value.message
    assert "Ruth Alvarez" not in str(raised.value.details.get("partial", {}).get("witness"))


def test_a_yes_no_pair_read_as_one_checkbox_is_never_a_sure_answer() -> None:
    path = DOCUMENTS / "checkbox-01.pdf"  # 'Reported to the police: [ ] Yes [/] No'
    values, problems = read_with(path, {"police": {
        "label": "Reported to the police:", "where": "right", "type": "checkbox"}}, "BH-4")
    assert values.get("police") in (None, "false", False) or "police:LOW_CONFIDENCE" in problems


def test_a_value_below_that_starts_left_of_the_label_is_never_cut_silently() -> None:
    path = DOCUMENTS / "belgian-02.pdf"  # 'Preneur d'assurance / Verzekeringnemer' over the name
    values, problems = read_with(path, {"holder": {
        "label": "Verzekeringnemer", "where": "below"}}, "MV-03")
    assert values.get("holder") in (None, "Émilie Janssens") or "holder:LOW_CONFIDENCE" in problems


def test_a_choice_that_contains_several_wordings_is_never_a_sure_answer() -> None:
    choices = {"Water": "WTR", "Fire": "FIR", "Theft": "THF", "Storm": "STM"}
    for number, ticked in (("02", "THF"), ("03", "FIR")):  # the X stands before Theft, Fire
        for match in ("contains", "fuzzy"):
            values, problems = read_with(DOCUMENTS / f"checkbox-{number}.pdf", {"loss": {
                "label": "Type of loss:", "where": "right", "type": "choice", "match": match,
                "choices": choices}}, "BH-4")
            assert values.get("loss") in (None, ticked) or "loss:LOW_CONFIDENCE" in problems, (
                number, match, values.get("loss"))


def test_the_bench_command_prints_the_table_writes_json_and_exits_0(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("letter-01.pdf", "invoice-01.pdf"):
        for file in (name, f"{name}.truth.json"):
            (folder / file).symlink_to(DOCUMENTS / file)
    assert main(["--folder", str(folder), "--out", str(tmp_path / "out.json")]) == 0
    written = json.loads((tmp_path / "out.json").read_text())
    assert set(written["layouts"]) == {"letter", "invoice"}
    assert written["pages"] == 3 and written["totals"]["silent_wrong"] == 0
    printed = capsys.readouterr().out
    assert "silent wrong" in printed and "2 documents (3 pages)" in printed
