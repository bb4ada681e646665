"""Invoices drawn in the test, and the step run on them, for the table tests.

A page is a list of (y from the bottom, cells); a cell is (x, text), and a text ending in ">"
is drawn right-aligned to x, as invoices print their amounts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen.canvas import Canvas

from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import BusinessError
from bots.steps.pdf.extract_fields import Params, extract_fields

Cell = tuple[float, str]
TextLine = tuple[float, Sequence[Cell]]  # y, cells
PageLines = list[TextLine]


def draw(tmp_path: Path, *pages: Sequence[TextLine], marker: str = "Rechnung / Invoice",
         size: float = 9) -> Path:
    """A PDF of the pages, each starting with the marker line the test layout needs."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    for number, lines in enumerate(pages):
        if number:
            canvas.showPage()
        canvas.setFont("Helvetica", size)
        canvas.drawString(40, 810, marker)
        for y, cells in lines:
            for x, text in cells:
                if text.endswith(">"):
                    canvas.drawRightString(x, y, text[:-1])
                else:
                    canvas.drawString(x, y, text)
    canvas.save()
    path = tmp_path / "invoice.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def run(path: Path, fields: dict[str, Any], marker: str = "Rechnung / Invoice",
        **extra: Any) -> dict[str, Any]:
    """Run pdf.extract_fields with one layout of these fields, as the engine would."""
    params = Params.model_validate({"path": str(path), "layouts": [
        {"name": "supplier", "when": marker, "fields": fields}], **extra})
    item = WorkItem(key="k", name=path.name)
    return extract_fields.function(params, StepContext(run_id="t", item=item, step_id="inv"))


def refused(path: Path, fields: dict[str, Any], **extra: Any) -> BusinessError:
    """The one BusinessError the step raises for a document."""
    with pytest.raises(BusinessError) as raised:
        run(path, fields, **extra)
    return raised.value


def plain(output: dict[str, Any]) -> dict[str, Any]:
    """The output without its bookkeeping (`_` keys)."""
    return {key: value for key, value in output.items() if not key.startswith("_")}
