"""Read a table on a page into rows keyed by its column headers (a work list, search hits).

Which table: the one at ``selector``, or the one whose caption (or title row) is ``caption``,
or that follows the text ``near``, or that has every header in ``headers`` (and ``columns``);
with none of these, the one table on the page with a header row. HTML tables and ARIA grids
(``role=grid|table|treegrid`` with ``row`` and ``gridcell``/``columnheader``, as div-based
grids draw them) count alike, open shadow roots included, inside ``frame`` when given.

The header row is the ``<thead>``, else the leading rows of header cells, else the first row
(bold or not), after any title rows; headers over several rows join their texts. Rows spanning
several rows repeat their value in each; filler, divider and "no records" rows (one cell across
the table) and repeated header rows are skipped, so a table with no records reads as ``[]``.
The browser is asked once for the whole table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from playwright.async_api import Page
from pydantic import Field, model_validator

from bots.kernel import StepParams
from bots.kernel.errors import ApplicationError
from bots.web.guard import translated
from bots.web.reading import polled, scope_of
from bots.web.tables_js import TABLES_JS
from bots.web.targets import ControlMissing
from bots.web.text import label_key, plain

TABLE_LIKE = "table, [role=grid], [role=table], [role=treegrid]"
Row = dict[str, str]


class TableSpec(StepParams):
    """Which table to read and how to name its columns."""

    selector: str | None = Field(None, description="CSS, xpath=... or role=... selector of "
                                 "the table (or grid).")
    caption: str | None = Field(None, description="Its caption, aria-label or title row.")
    near: str | None = Field(None, description="Text just before it, e.g. its heading.")
    headers: list[str] = Field(default_factory=list, description="Column headers it must have.")
    columns: dict[str, str] = Field(default_factory=dict, description="Output name -> column "
                                    "header; without it, rows are keyed by the header texts.")
    frame: str | None = Field(None, description="The iframe it is in (name, title or CSS).")
    max_rows: int = Field(1000, ge=1, le=100_000, description="More data rows than this is an "
                          "error (a list that grew past what the recipe expects).")

    @model_validator(mode="after")
    def _no_blank_headers(self) -> TableSpec:
        if any(not plain(text) for text in (*self.headers, *self.columns.values())):
            raise ValueError("a table's headers and columns name non-empty header texts")
        return self

    @property
    def wanted_headers(self) -> list[str]:
        """Every header the table must have: ``headers`` and the ``columns`` mapped."""
        return list(dict.fromkeys([*self.headers, *self.columns.values()]))

    def describe(self) -> str:
        """How the recipe names the table, for messages."""
        ways = [f"{name} {value!r}" for name, value in (
            ("selector", self.selector), ("caption", self.caption), ("near", self.near))
            if value]
        if self.wanted_headers:
            ways.append("headers " + ", ".join(repr(h) for h in self.wanted_headers))
        return " and ".join(ways) or "a header row"


def _criteria(spec: TableSpec) -> dict[str, Any]:
    keyed = {"caption": spec.caption, "near": spec.near}
    return {**{name: label_key(text) if text else None for name, text in keyed.items()},
            # a selector names the table: its headers are checked after, column by column
            "headers": [] if spec.selector else [label_key(t) for t in spec.wanted_headers],
            "any": not (spec.selector or spec.caption or spec.near or spec.wanted_headers),
            "maxRows": spec.max_rows}


async def read_table(page: Page, spec: TableSpec, *, name: str = "table",
                     wait_s: float = 0.0) -> list[Row]:
    """The rows of the one table the spec names, keyed by header (or the spec's columns);
    up to `wait_s` seconds for it to be drawn."""
    scope = await scope_of(page, spec.frame)
    target = scope.locator(spec.selector or TABLE_LIKE)

    async def ask() -> dict[str, Any]:
        async with translated(f"reading the table {name!r}"):
            answer: dict[str, Any] = await target.evaluate_all(TABLES_JS, _criteria(spec))
        return answer

    answer = await polled(ask, lambda answer: bool(answer["tables"]), wait_s)
    if spec.selector and not answer["tables"]:  # what the page has, for the message
        async with translated(f"reading the table {name!r}"):
            answer["seen"] = (await scope.locator(TABLE_LIKE).evaluate_all(
                TABLES_JS, _criteria(spec)))["seen"]
    table = _the_table(page.url, name, spec, answer)
    return records(page.url, name, spec, table)


def _the_table(url: str, name: str, spec: TableSpec, answer: dict[str, Any]) -> dict[str, Any]:
    tables = answer["tables"]
    exact = [table for table in tables if table["exact"]]
    chosen = exact or tables
    if len(chosen) == 1:
        return dict(chosen[0])
    if chosen:
        shown = [_shown(table) for table in chosen]
        raise ControlMissing(f"{len(chosen)} tables on {url} fit the table '{name}' "
                             f"({spec.describe()}): {'; '.join(shown)}. Add selector:, "
                             "caption:, near: or headers: to say which.", what="table",
                             name=name, candidates=shown, url=url)
    seen = [_shown(table) for table in answer["seen"]]
    raise ControlMissing(f"No table on {url} fits the table '{name}' ({spec.describe()}); the "
                         f"page has: {'; '.join(seen) or 'no tables'}. Check the recipe against "
                         "the screen.", what="table", name=name, seen=seen, url=url)


def _shown(table: dict[str, Any]) -> str:
    headers = ", ".join(text for text in table["headers"] if text) or "no headers"
    named = f" {table['caption']!r}" if table["caption"] else ""
    near = f" after {table['near']!r}" if table["near"] else ""
    return f"{table['where']}{named}{near} [{headers}]"


def records(url: str, name: str, spec: TableSpec, table: dict[str, Any]) -> list[Row]:
    """The table's data rows as {output name: cell text}; too many rows is an error."""
    if table["more"]:
        raise ApplicationError(f"The table '{name}' on {url} has more than {spec.max_rows} rows "
                               "(max_rows); raise max_rows if that many is expected, or narrow "
                               "the search.", code="TOO_MANY_ROWS", table=name,
                               max_rows=spec.max_rows, url=url)
    headers: list[str] = table["headers"]
    wanted = {header: header for header in spec.headers} | spec.columns
    mapped = _mapped(url, name, wanted, headers)
    named = {key: mapped[key] for key in spec.columns} if spec.columns else _by_header(headers)
    return [{key: row[index] if index < len(row) else "" for key, index in named.items()}
            for row in table["rows"]]


def _by_header(headers: Sequence[str]) -> dict[str, int]:
    """Each non-empty header -> its column; a repeated header gets ' 2', ' 3' ..."""
    named: dict[str, int] = {}
    for index, text in enumerate(headers):
        if not text:
            continue  # a column of checkboxes or buttons names nothing to read
        key, n = text, 1
        while key in named:
            n += 1
            key = f"{text} {n}"
        named[key] = index
    return named


def _mapped(url: str, name: str, wanted: dict[str, str],
            headers: Sequence[str]) -> dict[str, int]:
    """The recipe's {output name: header text} as {output name: column}."""
    named = {}
    for output, header in wanted.items():
        index = _column(headers, header)
        if index is None:
            shown = ", ".join(repr(text) for text in headers if text)
            raise ControlMissing(f"The table '{name}' on {url} has no column {header!r} (for "
                                 f"'{output}'); its headers are: {shown}.", what="column",
                                 name=header, seen=[text for text in headers if text], url=url)
        named[output] = index
    return named


def _column(headers: Sequence[str], header: str) -> int | None:
    """A header by its text (label_key), whole or its last part (headers over two rows)."""
    wanted = label_key(header)
    keys = [label_key(text) for text in headers]
    for hits in ([i for i, key in enumerate(keys) if key and key == wanted],
                 [i for i, key in enumerate(keys) if key.endswith(" " + wanted)]):
        if hits:
            return hits[0]
    return None
