"""Build PDFs with real AcroForms for the form tests: text fields, checkboxes, radio groups,
and fields nested under qualified names ("form1[0].page1[0].policyNumber[0]") as LiveCycle
and other form designers write them."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject
from reportlab.pdfgen.canvas import Canvas


@dataclass
class FormSpec:
    """What to put on a one-page (or longer) form: text lines and fields."""

    lines: Sequence[tuple[float, float, str]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # name -> value
    boxes: dict[str, bool] = field(default_factory=dict)  # name -> ticked
    radios: dict[str, tuple[list[str], str | None]] = field(default_factory=dict)
    nested: dict[str, str] = field(default_factory=dict)  # flat name -> qualified name


def build(spec: FormSpec) -> bytes:
    """The PDF's bytes: text drawn, fields placed down the page, names nested as asked."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.setFont("Helvetica", 10)
    for x, y, text in spec.lines:
        canvas.drawString(x, y, text)
    y = 700.0
    for name, value in spec.texts.items():
        canvas.acroForm.textfield(name=name, value=value, x=300, y=y, width=150, height=16)
        y -= 24
    for name, ticked in spec.boxes.items():
        canvas.acroForm.checkbox(name=name, checked=ticked, x=300, y=y, size=12)
        y -= 24
    for name, (options, chosen) in spec.radios.items():
        for index, option in enumerate(options):
            canvas.acroForm.radio(name=name, value=option, selected=option == chosen,
                                  x=300 + 20 * index, y=y, size=12)
        y -= 24
    canvas.save()
    data = buffer.getvalue()
    return nest(data, spec.nested) if spec.nested else data


def nest(data: bytes, names: dict[str, str]) -> bytes:
    """Move fields under parent fields so that their full names are the qualified ones."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    parents: dict[str, DictionaryObject] = {}
    annotations: Any = writer.pages[0]["/Annots"]
    for annotation in annotations:
        widget = annotation.get_object()
        qualified = names.get(str(widget.get("/T", "")))
        if qualified:
            *path, last = qualified.split(".")
            widget[NameObject("/T")] = TextStringObject(last)
            parent = parent_for(writer, parents, path)
            widget[NameObject("/Parent")] = parent.indirect_reference
            kids(parent).append(widget.indirect_reference)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def parent_for(writer: PdfWriter, parents: dict[str, DictionaryObject],
               path: list[str]) -> DictionaryObject:
    """The (shared) parent field for a dotted path, made once per prefix."""
    key = ".".join(path)
    if key not in parents:
        node = DictionaryObject({NameObject("/T"): TextStringObject(path[-1]),
                                 NameObject("/Kids"): ArrayObject()})
        writer._add_object(node)
        if len(path) > 1:
            above = parent_for(writer, parents, path[:-1])
            node[NameObject("/Parent")] = above.indirect_reference
            kids(above).append(node.indirect_reference)
        parents[key] = node
    return parents[key]


def kids(node: DictionaryObject) -> ArrayObject:
    """A parent field's /Kids array."""
    found = node["/Kids"]
    assert isinstance(found, ArrayObject)
    return found


def write(tmp_path: Path, spec: FormSpec, name: str = "form.pdf") -> Path:
    """The form written to a file."""
    path = tmp_path / name
    path.write_bytes(build(spec))
    return path
