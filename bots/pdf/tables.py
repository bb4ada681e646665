"""Read a line-item table off a document's pages: find its header, map columns, collect rows.

The header line is the one that holds a label of every column the rule names; its words'
x positions define the columns (header cells the rule does not name bound columns too, and
their cells are dropped). Below the header, each line is cut into cells at wide gaps and
each cell goes to the column it sits under. A page's part of the table ends at a stop label,
at a wide vertical gap or at the page end; the next page continues it below a repeated header.
Cells stay raw text here: typing them is bots/pdf/table_fields.py's job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from bots.pdf.document import Document
from bots.pdf.lines import Line, Page, Word, union_box
from bots.pdf.locate import comparable
from bots.pdf.table_rule import TableRule

CELL_GAP = 0.8  # a gap wider than this many word heights separates two cells of a line


@dataclass(frozen=True)
class Column:
    """A header cell's horizontal span; ``name`` is None for a column the rule ignores."""

    name: str | None
    x0: float
    x1: float

    def overlap(self, x0: float, x1: float) -> float:
        """How far a span overlaps this column (0 when apart)."""
        return max(0.0, min(self.x1, x1) - max(self.x0, x0))

    def distance(self, x0: float, x1: float) -> float:
        """How far a span lies from this column (0 when they touch)."""
        return max(self.x0 - x1, x0 - self.x1, 0.0)


@dataclass
class RawRow:
    """One table row as found: its page, the lines it spans and its raw cells."""

    page: int
    lines: list[Line]
    cells: dict[str, str]

    @property
    def words(self) -> list[Word]:
        """Every word of the row's lines."""
        return [word for line in self.lines for word in line.words]

    @property
    def text(self) -> str:
        """The row's lines as a person reads them."""
        return "\n".join(line.text for line in self.lines)

    def provenance(self, rule: str) -> dict[str, object]:
        """Where the row came from, for the ledger."""
        return {"page": self.page, "box": list(union_box(self.words)), "text": self.text,
                "rule": rule}


@dataclass
class Table:
    """A table's rows across pages and the pages its header was found on."""

    rows: list[RawRow] = field(default_factory=list)
    header_pages: list[int] = field(default_factory=list)


def read_table(document: Document, rule: TableRule) -> Table:
    """The table's raw rows on every page whose header the rule recognizes."""
    table = Table()
    for page in document.pages:
        for index, columns in header_hits(page, rule):
            table.header_pages.append(page.number)
            table.rows += page_rows(page, index, columns, rule)
            break  # one table per page: a second header would be another table
    return table


def header_hits(page: Page, rule: TableRule) -> Iterator[tuple[int, list[Column]]]:
    """Each line of a page that is the rule's header, with the columns it defines."""
    for index, line in enumerate(page.lines):
        spans = label_spans(line, rule)
        if spans is not None:
            yield index, header_columns(line, spans)


def label_spans(line: Line, rule: TableRule) -> dict[str, tuple[int, int]] | None:
    """Column name -> the (start, end) word indexes of its label, or None if one is missing."""
    tokens = [comparable(word.text) for word in line.words]
    spans: dict[str, tuple[int, int]] = {}
    for name, labels in rule.header.items():
        taken = {i for start, end in spans.values() for i in range(start, end)}
        span = next((found for label in labels
                     if (found := find_words(tokens, label, taken)) is not None), None)
        if span is None:
            return None
        spans[name] = span
    return spans


def find_words(tokens: list[str], label: str, taken: set[int]) -> tuple[int, int] | None:
    """Where a label's words appear in a row among tokens not yet taken by another column."""
    wanted = [comparable(word) for word in label.split()]
    for start in range(len(tokens) - len(wanted) + 1):
        end = start + len(wanted)
        if tokens[start:end] == wanted and taken.isdisjoint(range(start, end)):
            return start, end
    return None


def header_columns(line: Line, spans: dict[str, tuple[int, int]]) -> list[Column]:
    """The header's cells left to right, each named by the label inside it (if any).

    A label may be part of a wider header cell ('Price' in 'Unit Price'): the column then
    spans the whole cell. A cell holding two labels (too tight to tell apart) is split at them.
    """
    owner = {i: name for name, (start, end) in spans.items() for i in range(start, end)}
    columns: list[Column] = []
    start = 0
    for cell in cells_of(line.words):
        indexes = range(start, start + len(cell))
        start += len(cell)
        names = list(dict.fromkeys(owner[i] for i in indexes if i in owner))
        if len(names) <= 1:
            columns.append(Column(names[0] if names else None, cell[0].x0, cell[-1].x1))
        else:
            columns += [Column(name, line.words[spans[name][0]].x0,
                               line.words[spans[name][1] - 1].x1) for name in names]
    return columns


def cells_of(words: list[Word]) -> list[list[Word]]:
    """Words of a line grouped into cells: a gap wider than CELL_GAP heights starts a cell."""
    cells: list[list[Word]] = []
    for word in words:
        if cells and word.x0 - cells[-1][-1].x1 <= CELL_GAP * word.height:
            cells[-1].append(word)
        else:
            cells.append([word])
    return cells


def page_rows(page: Page, header_index: int, columns: list[Column],
              rule: TableRule) -> list[RawRow]:
    """The rows under a header on one page, wrapped lines joined to the row above."""
    rows: list[RawRow] = []
    for line in body_lines(page, header_index, rule):
        cells = line_cells(line, columns)
        if not any(cells.values()):
            continue  # nothing under a named column: a blank row
        if cells.get(rule.key_column) or not rows:  # keyless first row: typing refuses it
            rows.append(RawRow(page.number, [line], cells))
        else:
            continue_row(rows[-1], line, cells)
    return rows


def body_lines(page: Page, header_index: int, rule: TableRule) -> Iterator[Line]:
    """The lines below the header up to a stop label or a gap wider than max_row_gap."""
    previous = page.lines[header_index]
    for line in page.lines[header_index + 1:]:
        height = previous.bottom - previous.top
        if line.top - previous.bottom > rule.max_row_gap * height or starts_with_stop(line, rule):
            return
        yield line
        previous = line


def starts_with_stop(line: Line, rule: TableRule) -> bool:
    """Whether a line begins with one of the rule's stop labels."""
    tokens = [comparable(word.text) for word in line.words]
    for label in rule.stop:
        wanted = [comparable(word) for word in label.split()]
        if tokens[:len(wanted)] == wanted:
            return True
    return False


def line_cells(line: Line, columns: list[Column]) -> dict[str, str]:
    """A line's text per named column (cells under ignored columns are dropped)."""
    found: dict[str, list[str]] = {}
    for cell in cells_of(line.words):
        column = column_for(cell[0].x0, cell[-1].x1, columns)
        if column.name is not None:
            found.setdefault(column.name, []).append(" ".join(word.text for word in cell))
    return {name: " ".join(texts) for name, texts in found.items()}


def column_for(x0: float, x1: float, columns: list[Column]) -> Column:
    """The column a cell sits under: the most overlap, else the nearest."""
    best = max(columns, key=lambda column: column.overlap(x0, x1))
    if best.overlap(x0, x1) > 0:
        return best
    return min(columns, key=lambda column: column.distance(x0, x1))


def continue_row(row: RawRow, line: Line, cells: dict[str, str]) -> None:
    """Add a wrapped line's cells to the row above it."""
    row.lines.append(line)
    for name, text in cells.items():
        row.cells[name] = f"{row.cells[name]} {text}" if row.cells.get(name) else text
