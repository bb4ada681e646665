"""Columns of a line-item table and which column each cell of a line belongs to.

Two ways to know the columns: a header (bots/pdf/table_header.py) or `columns:` spans given
in points. Under a header, a cell goes to the header cell it overlaps most; a cell under no
header cell goes to the one column whose cells it is aligned with (a short code under a
centred label), else to the column whose label starts at or left of it (a right-aligned
number under a left-aligned label): each column reaches from its label's left edge to the
next label's, which is where a person looks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from bots.pdf.lines import Line, Word
from bots.pdf.table_rule import TableRule
from bots.pdf.value_types import ValueRule

CELL_GAP = 0.8  # a gap wider than this many word heights separates two cells of a line
ALIGN_SLACK = 1.5  # points two cells' edges may differ and still be aligned
WORD_GAP = 0.33  # wider than a space (0.25 to 0.28 heights): two texts, not words of one


@dataclass(frozen=True)
class Column:
    """A column's printed span (its header cell, or the rule's x span) and its reach.

    ``name`` is None for a header cell the rule ignores. ``edges`` are the left and right
    edges of the cells printed under the label: a cell under no label that is aligned with
    them is the column's (a short code under a centred label). ``reach`` is where a cell
    aligned with nothing belongs: from the label's left edge to the next label's.
    """

    name: str | None
    x0: float
    x1: float
    reach: tuple[float, float] = (float("-inf"), float("inf"))
    edges: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())  # cells' lefts, rights

    def overlap(self, x0: float, x1: float) -> float:
        """How far a span overlaps this column (0 when apart)."""
        return max(0.0, min(self.x1, x1) - max(self.x0, x0))

    def reach_overlap(self, x0: float, x1: float) -> float:
        """How far a span overlaps this column's reach."""
        return max(0.0, min(self.reach[1], x1) - max(self.reach[0], x0))


@dataclass(frozen=True)
class Reading:
    """How to read one page's lines: the columns, the rule and the cells' typing hints.

    ``first_is_row``: below a header or `start` line the first line is a row even when it
    does not read as one (typing then reports it). ``ends_early``: a stop or totals line
    before any row ends the part (else, on a first page without a header, the rows have not
    begun yet).
    """

    columns: list[Column]
    rule: TableRule
    hints: ValueRule
    first_is_row: bool = True
    ends_early: bool = True


def with_reach(columns: list[Column]) -> list[Column]:
    """Header columns whose reach runs from their left edge to the next column's."""
    edges = [float("-inf")] + [column.x0 for column in columns[1:]] + [float("inf")]
    return [Column(column.name, column.x0, column.x1, (edges[i], edges[i + 1]))
            for i, column in enumerate(columns)]


def anchored(columns: list[Column], lines: list[Line]) -> list[Column]:
    """The columns with the edges of the cells below them that sit under their labels (cells
    parted as line_cells parts them, so '92 pcs' set tight anchors only 'pcs')."""
    edges: list[tuple[list[float], list[float]]] = [([], []) for _ in columns]
    for line in lines:
        for cell in split_cells(cells_of(line.words), columns):
            x0, x1 = cell[0].x0, max(word.x1 for word in cell)
            best = max(range(len(columns)), key=lambda i: columns[i].overlap(x0, x1))
            if columns[best].overlap(x0, x1) > 0:
                edges[best][0].append(x0)
                edges[best][1].append(x1)
    return [replace(column, edges=(tuple(lefts), tuple(rights)))
            for column, (lefts, rights) in zip(columns, edges, strict=True)]


def position_columns(rule: TableRule) -> list[Column]:
    """The rule's `columns:` spans; a word under none of them is outside the table."""
    return [Column(name, x0, x1, (x0, x1)) for name, (x0, x1) in rule.columns.items()]


def cells_of(words: list[Word], gap: float = CELL_GAP) -> list[list[Word]]:
    """Words (left to right) grouped into cells: a gap wider than ``gap`` heights after the
    cell's right edge starts a new one (words of two lines may overlap)."""
    cells: list[list[Word]] = []
    for word in words:
        if cells and word.x0 - max(w.x1 for w in cells[-1]) <= gap * word.height:
            cells[-1].append(word)
        else:
            cells.append([word])
    return cells


def line_cells(line: Line, columns: list[Column]) -> dict[str, str]:
    """A line's text per named column (cells under ignored columns or outside are dropped)."""
    found: dict[str, list[str]] = {}
    for cell in split_cells(cells_of(line.words), columns):
        column = column_for(cell[0].x0, cell[-1].x1, columns)
        if column is not None and column.name is not None:
            found.setdefault(column.name, []).append(" ".join(word.text for word in cell))
    return {name: " ".join(texts) for name, texts in found.items()}


def split_cells(cells: list[list[Word]], columns: list[Column]) -> Iterator[list[Word]]:
    """Cells cut where two words further apart than a space belong to two different columns
    (tight columns: '92' and 'pcs'); words a space apart are one text, even if it runs past
    its column."""
    for cell in cells:
        piece = [cell[0]]
        for word in cell[1:]:
            before = column_for(piece[-1].x0, piece[-1].x1, columns)
            here = column_for(word.x0, word.x1, columns)
            apart = word.x0 - piece[-1].x1 > WORD_GAP * word.height
            if apart and before is not here and before is not None and here is not None:
                yield piece
                piece = []
            piece.append(word)
        yield piece


def column_for(x0: float, x1: float, columns: list[Column]) -> Column | None:
    """The column a cell belongs to: the span it overlaps most, else the one column whose
    cells it is aligned with, else the reach it lies in."""
    best = max(columns, key=lambda column: column.overlap(x0, x1))
    if best.overlap(x0, x1) > 0:
        return best
    aligned = [column for column in columns if lined_up(x0, x1, column)]
    if len(aligned) == 1:
        return aligned[0]
    reach = max(columns, key=lambda column: column.reach_overlap(x0, x1))
    return reach if reach.reach_overlap(x0, x1) > 0 else None


def lined_up(x0: float, x1: float, column: Column) -> bool:
    """Whether a cell shares a left or a right edge with a cell under the column's label."""
    lefts, rights = column.edges
    return (any(abs(x0 - edge) <= ALIGN_SLACK for edge in lefts)
            or any(abs(x1 - edge) <= ALIGN_SLACK for edge in rights))
