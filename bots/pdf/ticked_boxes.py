"""Read a group of drawn checkboxes as one value: the caption of the box that is ticked.

A rule with ``boxes: {Yes: true, No: false}`` and a label finds each caption after the label
(on its line with ``where: right``; on the lines under it with ``where: below``), the drawn
square next to the caption (left of it, else right of it, at most two caption heights away;
bots/pdf/drawing.py), and whether something is drawn inside. One ticked box gives its code;
none gives no value (the next alternative is tried); two give FORM_CHOICE_CONFLICT, naming
both. A caption with no square beside it, or not found at all, is a doubt: the form may not be
the one the rule was written for.
"""

from __future__ import annotations

from bots.kernel.errors import BusinessError
from bots.pdf.confidence import Doubt
from bots.pdf.document import Document
from bots.pdf.find_label import LabelHit, comparable
from bots.pdf.lines import Box, Word, union_box
from bots.pdf.rules import FieldRule

REACH = 2.0  # caption heights between a caption and its box


def ticked_box(document: Document, hit: LabelHit, rule: FieldRule) -> tuple[
        tuple[str, Box, str] | None, list[Doubt]]:
    """The ticked caption's (code, box of caption and square, caption) after one label hit,
    and the doubts; None when no box is ticked."""
    assert rule.boxes is not None
    words = caption_words(hit, rule)
    squares = document.drawings.page(hit.page.number).boxes if document.drawings else ()
    ticked: list[tuple[str, Box, str]] = []
    doubts: list[Doubt] = []
    for caption, code in rule.boxes.items():
        found = find_caption(words, caption)
        square = nearest_square(found, squares) if found else None
        if square is None:
            doubts.append((f"no drawn box beside the caption {caption!r}", 0.6))
        elif square[1]:
            ticked.append((code, union_box([*found, as_word(square[0])]), caption))
    if len(ticked) > 1:
        raise conflict(document, [caption for _, _, caption in ticked], rule)
    return (ticked[0] if ticked else None), doubts


def caption_words(hit: LabelHit, rule: FieldRule) -> list[Word]:
    """The words where the captions are: after the label on its line, or on the lines under
    it (as many as the rule's `lines`, else one per caption)."""
    after = [word for word in hit.line.words if word.x0 >= hit.words[-1].x1 - 0.5
             and word not in hit.words]
    if rule.where == "right":
        return [word for word in after if rule.within is None
                or word.x0 - hit.words[-1].x1 <= rule.within]
    assert rule.boxes is not None
    count = rule.lines or len(rule.boxes)
    under = hit.page.lines[hit.line_index + 1:hit.line_index + 1 + count]
    return [word for line in under for word in line.words]


def find_caption(words: list[Word], caption: str) -> list[Word]:
    """The words that spell a caption (compared as labels are), or an empty list."""
    wanted = [comparable(part) for part in caption.split()]
    for start in range(len(words) - len(wanted) + 1):
        run = words[start:start + len(wanted)]
        if [comparable(word.text) for word in run] == wanted:
            return run
    return []


def nearest_square(caption: list[Word], squares: tuple[tuple[Box, bool], ...]
                   ) -> tuple[Box, bool] | None:
    """The square beside a caption (on its line, left or right of it, within reach)."""
    box = union_box(caption)
    height = box[3] - box[1]
    beside = [(distance(box, square), (square, marked)) for square, marked in squares
              if square[1] < box[3] and square[3] > box[1]
              and distance(box, square) <= REACH * height]
    return min(beside, key=lambda pair: pair[0])[1] if beside else None


def distance(caption: Box, square: Box) -> float:
    """The horizontal gap between a caption and a square (left or right of it)."""
    return max(caption[0] - square[2], square[0] - caption[2], 0.0)


def as_word(box: Box) -> Word:
    """A square as a word-shaped box, to join with the caption's."""
    return Word("", *box)


def conflict(document: Document, captions: list[str], rule: FieldRule) -> BusinessError:
    """FORM_CHOICE_CONFLICT: two boxes of a group that stands for one value are ticked."""
    group = ", ".join(rule.boxes or {})
    return BusinessError(
        f"{document.path.name}: the boxes {' and '.join(map(repr, captions))} are all ticked, "
        f"but the group {group} stands for one value; check the form and key it by hand",
        code="FORM_CHOICE_CONFLICT", file=str(document.path), ticked=captions)
