"""documents-intake on documents it was not tuned on: the same senders' layouts filled with
other values (tiny and huge amounts, month names the fixtures lack, other loss types, blank
optional boxes, apostrophes and accents in names). Every field must be right: the recipe's
rules follow labels and patterns, not the committed fixtures' values. Scans are left out
(OCR costs seconds; tests/steps/pdf/test_documents_accuracy.py reads them)."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bench.doc_accuracy import measure
from fixtures import make_documents as made
from fixtures.documents_facturx import einvoice
from fixtures.documents_forms import checkbox, qualified
from fixtures.documents_invoices import Line, invoice
from fixtures.documents_prose import belgian, bilingual, letter
from fixtures.documents_rechnung import Position, rechnung

RECIPE = Path(__file__).resolve().parents[3] / "recipes" / "documents-intake.yaml"
VARIANTS: list[tuple[str, Any]] = [
    ("letter", letter(replace(
        made.LETTERS[0], policy="MG-2026-10001", claimant="Seán O'Brien", letter_date="5 "
        "January 2026", loss_when="On 1 January 2026", loss_date="2026-01-01",
        what_happened="a fire in the chimney spread to the roof", loss_code="FIR",
        amount_text="£12.50", amount=D("12.50")))),
    ("letter", letter(replace(  # the loss date wraps: 'on 3 March' / '2025, a pipe burst'
        made.LETTERS[0], loss_when="While we were away visiting my sister in Cornwall, on 3 "
        "March 2025"))),
    ("bilingual", bilingual(replace(
        made.BILINGUAL[0], policy="RV-0001-0001", holder="Zoë Ångström",
        loss_date_text="29. Februar 2024", loss_date="2024-02-29", reported_text="01/03/2024",
        reported="2024-03-01", loss_wording="Feuer / Fire", loss_code="FIR",
        amount=D("250000.00")))),
    ("belgian", belgian(replace(
        made.BELGIAN[0], policy="MV-999-001", holder="Anne-Sophie Van den Broeck",
        loss_date_text="31 décembre 2025 / 31 december 2025", loss_date="2025-12-31",
        loss_wording="Incendie / Brand", loss_code="FIR", amount=D("5.00")))),
    ("checkbox", checkbox(replace(
        made.CHECKBOXES[0], policy="BH-10000", name="Märt Kask", loss_date_text="31/12/2025",
        loss_date="2025-12-31", loss_code="STM", police=False, contact="PHONE",
        amount=D("0.99")))),
    ("acroform", qualified(replace(
        made.QUALIFIED[0], policy="CC-100000", first="Mary-Kate", last="O'Hara", witness="",
        agent="Li Wei", loss_date_text="12/31/2025", loss_date="2025-12-31", loss_code="FIR",
        police=True, amount=D("100000.00")))),
    ("invoice", invoice(replace(made.INVOICES[0], number="NLS-2026-0001",
                                date_text="January 2, 2026", date="2026-01-02",
                                po="PO-1", lines=made.invoice_lines(3)))),
    ("einvoice", einvoice(replace(made.EINVOICES[0], number="FA-2026-0001",
                                  date_text="02/01/2026", date="2026-01-02", lines=(
                                      Line(("Bureau en noyer",), 2, D("1999.99")),
                                      Line(("Chaise",), 10, D("0.50")))))),
    ("rechnung", rechnung(replace(made.RECHNUNGEN[0], number="RE-2026-00001",
                                  date_text="2. Januar 2026", date="2026-01-02",
                                  due_text="Freitag, 16. Januar 2026", due="2026-01-16",
                                  positions=(Position("Hammer", 1, D("9.99"), 50),
                                             Position("Nägel 1 kg", 100, D("3.20")))))),
]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder: Path = tmp_path_factory.mktemp("variants")
    for number, (layout, (content, fields)) in enumerate(VARIANTS):
        (folder / f"{layout}-variant-{number}.pdf").write_bytes(content)
        (folder / f"{layout}-variant-{number}.pdf.truth.json").write_text(
            json.dumps({"layout": layout, "fields": fields}, ensure_ascii=False), "utf-8")
    return measure("documents-intake", folder)


def test_no_wrong_value_is_silent_on_new_values(result: dict[str, Any]) -> None:
    silent = [(document["file"], field["field"], field["value"], field["truth"])
              for document in result["documents"] for field in document["fields"]
              if field["bucket"] == "silent_wrong"]
    assert not silent


# fields the recipe cannot read on some layout (empty since `boxes:` reads drawn ticks)
KNOWN_MISSING: dict[str, list[str]] = {}


@pytest.mark.parametrize("layout", sorted({layout for layout, _ in VARIANTS}))
def test_every_field_is_right_on_new_values(result: dict[str, Any], layout: str) -> None:
    row = result["layouts"][layout]
    assert row["not_right"] == KNOWN_MISSING.get(layout, []), layout
    assert row["right"] == row["fields"] - len(KNOWN_MISSING.get(layout, [])), row


HINTS = {"dayfirst", "decimal", "thousands"}


def without_hints(node: Any) -> Any:
    """The recipe data with every day-order and separator hint taken out."""
    if isinstance(node, dict):
        return {key: without_hints(value) for key, value in node.items() if key not in HINTS}
    if isinstance(node, list):
        return [without_hints(item) for item in node]
    return node


def test_a_recipe_without_separator_or_day_order_hints_flags_instead_of_guessing(
        tmp_path: Path) -> None:
    """What a hurried author writes: no dayfirst, decimal or thousands anywhere. Ambiguous
    dates ('03/03/2025', '11/02/2025') and figures ('2 345,60') must be doubted, not guessed."""
    yaml = YAML()
    recipe = without_hints(yaml.load(RECIPE.read_text("utf-8")))
    recipe["source"]["folder"] = str(made.OUT)
    (tmp_path / "hurried.yaml").write_text(dump(yaml, recipe), "utf-8")
    folder = tmp_path / "documents"
    folder.mkdir()
    for pdf in made.OUT.glob("*.pdf"):
        if not pdf.name.startswith("scan-"):  # OCR costs seconds and has no hints to drop
            for source in (pdf, pdf.with_name(pdf.name + ".truth.json")):
                (folder / source.name).symlink_to(source)
    result = measure(str(tmp_path / "hurried.yaml"), folder)
    assert result["totals"]["silent_wrong"] == 0, [
        (document["file"], field) for document in result["documents"]
        for field in document["fields"] if field["bucket"] == "silent_wrong"]
    assert result["totals"]["flagged"] >= 3, result["totals"]  # the hints were doing something


def dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
