"""Documents a browser printed (fixtures/make_printed.py): another producer's text layer, read
by rules written from the guide; a colon set apart from its label is the label's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.doc_accuracy import measure
from bots.kernel import StepContext, WorkItem
from bots.steps.pdf.extract_fields import Params, extract_fields
from fixtures.make_printed import OUT, pages


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return measure("documents-intake", OUT)


def test_every_printed_field_is_read_right(result: dict[str, Any]) -> None:
    wrong = [(document["file"], field["field"], field["value"], field["truth"])
             for document in result["documents"] for field in document["fields"]
             if field["bucket"] != "right"]
    assert not wrong, wrong
    assert {document["layout"] for document in result["documents"]} == {
        "facture", "siniestro", "denuncia"}


def test_the_committed_prints_match_the_generator() -> None:
    for name, (_html, truth) in pages().items():
        assert (OUT / name).read_bytes().startswith(b"%PDF-"), name
        committed = json.loads((OUT / f"{name}.truth.json").read_text(encoding="utf-8"))
        assert committed == json.loads(json.dumps(truth)), name


def read(path: Path, fields: dict[str, Any]) -> dict[str, Any]:
    params = Params.model_validate({"path": str(path), "layouts": [
        {"name": "t", "when": ["FACTURE"], "fields": fields}]})
    ctx = StepContext(run_id="t", item=WorkItem(key="k", name=path.name), step_id="s")
    return extract_fields.function(params, ctx)


def test_a_colon_set_apart_belongs_to_the_label_not_the_value() -> None:
    path = OUT / "facture-01.pdf"  # 'N° de facture : F-2026-0317', 'Total HT : 1 852,21 €'
    values = read(path, {
        "number": {"label": "N° de facture:", "where": "right"},
        "client": {"label": "Client", "where": "right"},
        "lines": {"decimal": ",", "thousands": " ", "table": {
            "header": {"description": ["Désignation"], "amount": ["Montant HT"]},
            "key": "description", "types": {"amount": "amount"},
            "totals": {"net": ["Total HT"]}}}})
    assert (values["number"], values["client"]) == ("F-2026-0317", "Hôtel Beau Rivage")
    assert values["net"] == "1852.21" and len(values["lines"]) == 3
