"""The documents-nobody-wrote generator: deterministic, committed, and its traps really there."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from fixtures.make_documents import LAYOUTS, OUT, documents, write_all


@pytest.fixture(scope="module")
def made() -> dict[str, tuple[bytes, dict[str, object]]]:
    return documents()


def text_of(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_generating_twice_gives_identical_bytes(made: dict[str, tuple[bytes, dict[str, object]]],
                                                tmp_path: Path) -> None:
    again = documents()
    assert {name: content for name, (content, _) in made.items()} == {
        name: content for name, (content, _) in again.items()}
    assert len({layout for layout, _, _ in LAYOUTS}) >= 6
    assert all(3 <= len(records) <= 4 for _, _, records in LAYOUTS)


def test_the_committed_fixtures_are_up_to_date(
        made: dict[str, tuple[bytes, dict[str, object]]], tmp_path: Path) -> None:
    written = {path.name for path in write_all(tmp_path, made)}
    assert written == set(made)
    stale = [name for name, (content, _) in made.items()
             for file in (name, f"{name}.truth.json")
             if not (OUT / file).is_file()
             or (OUT / file).read_bytes() != (tmp_path / file).read_bytes()]
    assert not stale, f"run `python -m fixtures.make_documents` to refresh: {stale}"
    assert sorted(path.name for path in OUT.glob("*.pdf")) == sorted(made)


def test_truth_is_normalized(made: dict[str, tuple[bytes, dict[str, object]]]) -> None:
    for name, (_, truth) in made.items():
        fields = truth["fields"]
        assert isinstance(fields, dict) and fields, name
        for key, value in fields.items():
            if key.endswith("date"):
                assert len(str(value)) == 10 and str(value)[4] == "-", (name, key, value)
            if key in {"amount", "total", "tax", "subtotal", "net_total"}:
                assert "," not in str(value) and str(value).count(".") == 1, (name, key)
        assert json.loads(json.dumps(truth)) == truth


def test_the_traps_are_in_the_documents(made: dict[str, tuple[bytes, dict[str, object]]]) -> None:
    invoice = text_of(made["invoice-01.pdf"][0])
    assert "1 278.61 278.61" in invoice  # a quantity next to a price, not 1278.61
    assert "$" in invoice and "US$" not in invoice and "Canadian dollars" in invoice
    assert len(PdfReader(io.BytesIO(made["invoice-01.pdf"][0])).pages) == 2
    bilingual = text_of(made["bilingual-01.pdf"][0])
    assert "3. März 2025" in bilingual and "1.278,61 €" in bilingual
    assert "beschädigte\nden Boden" in bilingual  # the description wraps
    assert "Total TTC 1 278,61 €" in text_of(made["einvoice-01.pdf"][0])


def test_scans_have_no_text_layer(made: dict[str, tuple[bytes, dict[str, object]]]) -> None:
    scans = [content for name, (content, _) in made.items() if name.startswith("scan-")]
    assert len(scans) == 4
    assert all(text_of(content).strip() == "" for content in scans)


def test_acroform_names_nest_and_one_short_name_repeats(
        made: dict[str, tuple[bytes, dict[str, object]]]) -> None:
    fields = PdfReader(io.BytesIO(made["acroform-01.pdf"][0])).get_fields() or {}
    names = [name for name, field in fields.items() if "/V" in field]
    assert "topmostSubform[0].Page1[0].Witness[0].Name[0]" in names
    assert "topmostSubform[0].Page1[0].Agent[0].Name[0]" in names
    assert fields["topmostSubform[0].Page1[0].Loss[0].Cause[0].Water[0]"]["/V"] == "/Yes"


def test_the_einvoice_carries_its_facturx_xml(
        made: dict[str, tuple[bytes, dict[str, object]]]) -> None:
    content, truth = made["einvoice-01.pdf"]
    attachments = PdfReader(io.BytesIO(content)).attachments
    xml = attachments["factur-x.xml"][0].decode()
    fields = truth["fields"]
    assert isinstance(fields, dict)
    assert f"<ram:GrandTotalAmount>{fields['total']}</ram:GrandTotalAmount>" in xml
    assert "<ram:ID>FA-2025-0142</ram:ID>" in xml
