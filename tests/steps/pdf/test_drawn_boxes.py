"""`boxes:` reads drawn checkboxes: a pen stroke, a cross, a tick glyph or a blacked-out square
counts as ticked; an empty or lightly shaded square does not; the layouts are unlike the
fixtures' (boxes right of their captions, stacked under the label, bigger squares)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen.canvas import Canvas

from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import BusinessError
from bots.pdf.drawing import read_drawn
from bots.steps.pdf.extract_fields import Params, extract_fields

SIDE = 12.0


def square(canvas: Canvas, x: float, y: float, mark: str) -> None:
    """A 12 pt box at (x, y) marked with a 'stroke', 'cross', 'glyph', 'filled' or 'shaded'."""
    canvas.setFillGray(0.0 if mark == "filled" else 0.9)
    canvas.rect(x, y, SIDE, SIDE, fill=1 if mark in ("filled", "shaded") else 0)
    canvas.setFillGray(0.0)
    if mark == "stroke":
        canvas.setLineWidth(1.6)
        canvas.lines([(x + 2, y + 6, x + 5, y + 2), (x + 5, y + 2, x + 11, y + 11)])
        canvas.setLineWidth(1)
    elif mark == "cross":
        canvas.lines([(x + 2, y + 2, x + 10, y + 10), (x + 2, y + 10, x + 10, y + 2)])
    elif mark == "glyph":
        canvas.setFont("ZapfDingbats", 10)
        canvas.drawString(x + 1.5, y + 2, "4")  # a check mark
    canvas.setFont("Helvetica", 10)


def form(path: Path, marks: dict[str, str], vertical: dict[str, str] | None = None) -> Path:
    """A one-page form: 'Vehicle used for:' with captions LEFT of their boxes on one line, and
    'Injuries:' with boxes stacked under the label, caption right of each box."""
    canvas = Canvas(str(path))
    canvas.setFont("Helvetica", 10)
    canvas.drawString(60, 760, "Motor claim MC-7")
    canvas.drawString(60, 700, "Vehicle used for:")
    for index, caption in enumerate(("Private", "Business", "Hire and reward")):
        x = 170 + index * 110
        canvas.drawString(x, 700, caption)
        square(canvas, x + canvas.stringWidth(caption, "Helvetica", 10) + 6, 697,
               marks.get(caption, ""))
    canvas.drawString(60, 660, "Injuries:")
    for index, caption in enumerate(("None", "Minor", "Serious")):
        y = 640 - index * 20
        square(canvas, 60, y - 2, (vertical or {}).get(caption, ""))
        canvas.drawString(78, y, caption)
    canvas.save()
    return path


RULES = {
    "use": {"label": "Vehicle used for:", "boxes": {"Private": "PRV", "Business": "BUS",
                                                    "Hire and reward": "HIRE"}},
    "injuries": [{"label": "Injuries:", "where": "below", "boxes": {
        "None": "NONE", "Minor": "MINOR", "Serious": "SERIOUS"}}, {"value": "UNKNOWN"}],
}


def read(path: Path, rules: dict[str, Any] | None = None) -> dict[str, Any]:
    """The values `rules` (default RULES) read from the form at ``path``."""
    params = Params.model_validate({"path": str(path), "layouts": [
        {"name": "motor", "when": ["MC-7"], "fields": rules or RULES}]})
    ctx = StepContext(run_id="t", item=WorkItem(key="k", name=path.name), step_id="s")
    return extract_fields.function(params, ctx)


@pytest.mark.parametrize("mark", ["stroke", "cross", "glyph", "filled"])
def test_any_mark_inside_a_box_ticks_it(tmp_path: Path, mark: str) -> None:
    values = read(form(tmp_path / "f.pdf", {"Business": mark}, {"Minor": mark}))
    assert (values["use"], values["injuries"]) == ("BUS", "MINOR")
    assert "Business ticked" in values["_provenance"]["use"]["text"]


def test_an_empty_or_lightly_shaded_box_is_not_ticked(tmp_path: Path) -> None:
    path = form(tmp_path / "f.pdf", {"Private": "shaded", "Hire and reward": "cross"})
    assert read(path)["use"] == "HIRE"
    drawn = read_drawn(path.read_bytes(), 1).boxes
    assert len(drawn) == 6 and sum(marked for _, marked in drawn) == 1


def test_none_ticked_is_no_value_so_the_next_alternative_speaks(tmp_path: Path) -> None:
    values = read(form(tmp_path / "f.pdf", {"Private": "stroke"}))
    assert values["injuries"] == "UNKNOWN"


def test_a_required_group_with_nothing_ticked_is_missing(tmp_path: Path) -> None:
    with pytest.raises(BusinessError) as raised:
        read(form(tmp_path / "f.pdf", {}, {"Serious": "glyph"}), {"use": RULES["use"]})
    assert raised.value.code == "FIELD_MISSING"


def test_two_ticked_boxes_of_one_group_are_a_conflict_naming_both(tmp_path: Path) -> None:
    with pytest.raises(BusinessError) as raised:
        read(form(tmp_path / "f.pdf", {"Private": "cross", "Business": "stroke"}),
             {"use": RULES["use"]})
    problems = raised.value.details.get("problems") or [raised.value.details]
    assert problems[0]["code"] == "FORM_CHOICE_CONFLICT"
    assert "'Private' and 'Business'" in raised.value.message


def test_a_caption_without_a_box_beside_it_is_a_doubt_not_a_sure_value(tmp_path: Path) -> None:
    rules = {"use": {"label": "Vehicle used for:", "boxes": {
        "Private": "PRV", "Business": "BUS", "Farming": "FRM"}}}  # no 'Farming' on this form
    with pytest.raises(BusinessError) as raised:
        read(form(tmp_path / "f.pdf", {"Business": "stroke"}), rules)
    problems = raised.value.details.get("problems") or [raised.value.details]
    assert [problem["code"] for problem in problems] == ["LOW_CONFIDENCE"]
    assert raised.value.details["partial"]["use"] == "BUS"


def test_boxes_need_a_label_read_right_or_below() -> None:
    for bad in ({"boxes": {"Yes": True}, "pattern": "x"},
                {"label": "Police:", "where": "left", "boxes": {"Yes": True}}):
        with pytest.raises(ValueError, match="`boxes` goes with `label`"):
            Params.model_validate({"path": "x.pdf", "layouts": [
                {"name": "l", "when": ["x"], "fields": {"f": bad}}]})
