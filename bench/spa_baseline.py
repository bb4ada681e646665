"""The hand-written baseline for the challenge: bare Playwright, no toolkit.

    PRACTICE_URL=http://127.0.0.1:PORT python -m bench.spa_baseline [--workbook X]

Reads the workbook with openpyxl, opens /challenge, presses Start, fills the seven fields of
each row by their label (the <input> right after the <label>, since ids change every round),
submits, waits until the row was taken, and reads the closing message. The same Chromium and
switches as the toolkit (bots.web.browser). The last stdout line is a JSON summary shaped like
the runner's: items, done, duration_s, and the message.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from openpyxl import load_workbook
from playwright.async_api import async_playwright

from bots.web.browser import find_browser, launch_args

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = ROOT / "fixtures" / "practice" / "challenge.xlsx"
VIEWPORT: Any = {"width": 1280, "height": 900}  # the toolkit's default viewport


def rows_of(workbook: Path) -> list[dict[str, str]]:
    """The workbook's non-empty rows, headers stripped, numbers as the digits a person types."""
    sheet = load_workbook(workbook, read_only=True, data_only=True).worksheets[0]
    values = sheet.iter_rows(values_only=True)
    headers = [str(h or "").strip() for h in next(values)]
    rows = []
    for row in values:
        texts = ["" if v is None else str(int(v)) if isinstance(v, float | int) else str(v)
                 for v in row]
        if any(t.strip() for t in texts):
            rows.append(dict(zip(headers, texts, strict=False)))
    return rows


def input_after(page: Any, label: str) -> Any:
    """The text box placed right after the <label> whose whole text is ``label``."""
    return page.locator(f"xpath=//label[normalize-space(.)='{label}']/following-sibling::input[1]")


async def key_row(page: Any, row: dict[str, str]) -> None:
    """Fill the seven fields, submit, and wait until the page says the row was saved."""
    for label, value in row.items():
        await input_after(page, label).fill(value)
    await page.locator("input[type=submit]").click()
    await page.get_by_role("status").filter(has_text=f": {row['Email']}").wait_for()


async def challenge(page: Any, base: str, rows: list[dict[str, str]]) -> str:
    """The whole challenge on one page; the closing message."""
    await page.goto(base + "/challenge")
    await page.get_by_role("button", name="Start").click()
    await page.get_by_role("status").filter(has_text="Round 1 of").wait_for()  # fields redrawn
    for row in rows:
        await key_row(page, row)
    message = page.get_by_role("alert").filter(has_text="success rate")
    return str(await message.inner_text()).strip()


async def run(base: str, workbook: Path) -> dict[str, Any]:
    """Launch the browser, do the challenge once, and summarise it."""
    started = time.perf_counter()
    rows = rows_of(workbook)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=find_browser(playwright.chromium.executable_path), headless=True,
            args=launch_args(urlsplit(base).hostname or "", isolate_network=True))
        context = await browser.new_context(viewport=VIEWPORT)
        message = await challenge(await context.new_page(), base, rows)
        await context.close()
        await browser.close()
    return {"event": "baseline.summary", "items": len(rows), "done": len(rows),
            "exceptions": {}, "message": message,
            "duration_s": round(time.perf_counter() - started, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.spa_baseline", description=__doc__)
    parser.add_argument("--workbook", type=Path, default=WORKBOOK)
    args = parser.parse_args(argv)
    base = os.environ.get("PRACTICE_URL", "").rstrip("/")
    if not base:
        print("spa baseline: set PRACTICE_URL to the practice app's address", file=sys.stderr)
        return 2
    print(json.dumps(asyncio.run(run(base, args.workbook))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
