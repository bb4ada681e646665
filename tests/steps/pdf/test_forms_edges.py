"""AcroForm corners real forms have: choice lists, radio buttons exported through /Opt, empty
fields, no form at all, and a damaged field tree."""

from __future__ import annotations

import io
import time
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, TextStringObject
from reportlab.pdfgen.canvas import Canvas

from bots.pdf.document import load_document
from tests.steps.pdf.acroforms import FormSpec, build
from tests.steps.pdf.test_forms_fields import HEADER, codes_of, problem, run


def choices_pdf(tmp_path: Path) -> Path:
    """A form with a drop-down list and a multiple-choice list box."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.drawString(50, 780, "Claim form CF-9")
    canvas.acroForm.choice(name="country", value="BE", options=["DE", "BE", "NL"],
                           x=50, y=600, width=100, height=20)
    canvas.acroForm.listbox(name="langs", value=["nl", "fr"], options=["nl", "fr", "de"],
                            fieldFlags="multiSelect", x=50, y=500, width=100, height=60)
    canvas.save()
    path = tmp_path / "choices.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def edited(tmp_path: Path, spec: FormSpec, name: str, **entries: object) -> Path:
    """A form whose widget (or, for a radio, its group) ``name`` gets extra entries."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(build(spec))))
    annotations: object = writer.pages[0]["/Annots"]
    assert isinstance(annotations, ArrayObject)
    for annotation in annotations:
        widget = annotation.get_object()
        node = widget["/Parent"].get_object() if "/Parent" in widget else widget
        if node.get("/T") == name:
            for key, value in entries.items():  # Parent=None: the node itself (a loop)
                loop = widget.indirect_reference
                node[NameObject(f"/{key}")] = value if key != "Parent" else loop
    path = tmp_path / "edited.pdf"
    with path.open("wb") as out:
        writer.write(out)
    return path


def test_choice_fields_read_the_chosen_entries(tmp_path: Path) -> None:
    found = run(choices_pdf(tmp_path), {"country": {"form_field": "country"},
                                        "langs": {"form_field": "langs"}})
    assert (found["country"], found["langs"]) == ("BE", "nl, fr")


def test_a_radio_button_numbered_through_opt_reads_its_export_value(tmp_path: Path) -> None:
    spec = FormSpec(lines=HEADER, radios={"vehicle": (["car", "van"], "van")})
    path = edited(tmp_path, spec, "vehicle", V=NameObject("/1"),
                  Opt=ArrayObject([TextStringObject("Car"), TextStringObject("Van")]))
    assert run(path, {"vehicle": {"form_field": "vehicle"}})["vehicle"] == "Van"


def test_an_empty_text_field_is_no_value(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(build(FormSpec(lines=[*HEADER, (50, 600, "Policy: POL-7")],
                                    texts={"policy": "", "name": "Ada"})))
    found = run(path, {"policy": [{"form_field": "policy"}, {"label": "Policy:"}]})
    assert found["policy"] == "POL-7"


def test_a_document_without_a_form_has_no_fields(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    path.write_bytes(build(FormSpec(lines=HEADER)))
    assert len(load_document(path).form) == 0
    assert codes_of(problem(path, {"policy": {"form_field": "policy"}})) == ["FIELD_MISSING"]


def test_a_field_that_is_its_own_parent_does_not_hang_the_reader(tmp_path: Path) -> None:
    path = edited(tmp_path, FormSpec(lines=HEADER, texts={"policy": "POL-1"}), "policy",
                  Parent=None)
    started = time.perf_counter()
    fields = list(load_document(path).form)
    assert time.perf_counter() - started < 2 and len(fields) == 1
    assert (fields[0].name, fields[0].value) == ("policy", "POL-1")
