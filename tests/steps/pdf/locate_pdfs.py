"""Helpers for the location, problem and confidence tests: PDFs drawn on the spot, and the
step run as the engine runs it."""

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

Text = tuple[float, float, str]  # x, y from the bottom, text


def drawn(tmp_path: Path, *pages: Sequence[Text], name: str = "drawn.pdf", size: float = 10
          ) -> Path:
    """A PDF with each page's texts drawn at their positions, in the order given."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    for texts in pages:
        canvas.setFont("Helvetica", size)
        for x, y, text in texts:
            canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def read(path: Path, fields: dict[str, Any], when: str = "Form", **params: Any
         ) -> dict[str, Any]:
    """Run pdf.extract_fields with one layout made of ``fields``."""
    layout = {"name": "test", "when": when, "fields": fields}
    checked = Params.model_validate({"path": str(path), "layouts": [layout], **params})
    item = WorkItem(key="k", name=path.name)
    return extract_fields.function(checked, StepContext(run_id="t", item=item, step_id="doc"))


def refused(path: Path, fields: dict[str, Any], **params: Any) -> BusinessError:
    """The BusinessError the step raises for a document."""
    with pytest.raises(BusinessError) as raised:
        read(path, fields, **params)
    return raised.value
