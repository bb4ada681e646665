"""Read the rows of a grid: a table of records with a header row (order lines, search hits).

Which table: the ones whose header cells include every column the caller asks about, those with
``class="grid"`` first. A data row has at least as many cells as there are headers and none
spanning several columns, so "no lines yet" placeholders and totals are not mistaken for
records; cells beyond the headers (a Remove button) are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Page

from bots.kernel.errors import ApplicationError
from bots.web.guard import translated
from bots.web.text import label_key

TABLES_JS = """() => [...document.querySelectorAll('table')].map(table => {
  const rows = [...table.rows];
  const head = rows.find(row => row.querySelector('th'));
  const headers = head ? [...head.cells].map(cell => cell.innerText.trim()) : [];
  const isData = row => row !== head && !row.querySelector('th') &&
    row.cells.length >= headers.length && [...row.cells].every(cell => cell.colSpan === 1);
  const data = rows.filter(isData).map(row =>
    [...row.cells].slice(0, headers.length).map(cell => cell.innerText.trim()));
  return {grid: table.classList.contains('grid'), headers, rows: data};
})"""


@dataclass(frozen=True)
class Grid:
    """One table's header texts and data rows (cell texts)."""

    headers: list[str]
    rows: list[list[str]]

    def record(self, index: int) -> dict[str, str]:
        """Row `index` (0-based, negative from the end) as header -> cell text."""
        return dict(zip(self.headers, self.rows[index], strict=True))


async def tables_on(page: Page) -> list[dict[str, Any]]:
    """Every table on the page: {grid, headers, rows}."""
    async with translated("reading the page's tables"):
        found: list[dict[str, Any]] = await page.evaluate(TABLES_JS)
    return found


def _has_columns(table: dict[str, Any], columns: Iterable[str]) -> bool:
    headers = {label_key(header) for header in table["headers"]}
    return all(label_key(column) in headers for column in columns) and bool(headers)


async def find_grid(page: Page, columns: Iterable[str]) -> Grid | None:
    """The grid whose headers include every column (class 'grid' preferred); None if none."""
    wanted = list(columns)
    candidates = [table for table in await tables_on(page) if _has_columns(table, wanted)]
    candidates.sort(key=lambda table: not table["grid"])
    if not candidates:
        return None
    return Grid(candidates[0]["headers"], candidates[0]["rows"])


async def require_grid(page: Page, columns: Iterable[str]) -> Grid:
    """The grid with these columns; STEP_FAILED naming what tables the page has otherwise."""
    wanted = list(columns)
    grid = await find_grid(page, wanted)
    if grid is not None:
        return grid
    seen = [table["headers"] for table in await tables_on(page) if table["headers"]]
    shown = "; ".join(", ".join(headers) for headers in seen) or "no table with a header row"
    raise ApplicationError(f"No table on {page.url} has the columns {', '.join(wanted)}; the "
                           f"tables there have: {shown}. Check the recipe's verify columns.",
                           code="STEP_FAILED", url=page.url)


def cell(record: dict[str, str], column: str) -> str:
    """The cell of a record under a column named in any case, with or without ':'."""
    key = label_key(column)
    return next(text for header, text in record.items() if label_key(header) == key)
