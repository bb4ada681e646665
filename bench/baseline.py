"""The hand-written baseline: claims-intake's work done directly with the libraries, no toolkit.

    LEGACY_URL=... LEGACY_USER=... LEGACY_PASSWORD=... python -m bench.baseline [--folder F]

For every file of the inbox: extract the claim (bench.baseline_pdf), find its policy in the
register, then, signed on (the page of the last item that ended done, else a new browser context
and a sign-on, as the toolkit does), confirm the policy on the inquiry screen, apply the rules
and key the claim through the three-page form, reading the reference back.
The same Chromium with the same switches as the toolkit (bots.web.browser). The last stdout
line is a JSON summary shaped like the runner's: items, done, exceptions, duration_s.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import async_playwright

from bench.baseline_pdf import (
    ClaimRejected,
    check_policy,
    check_rules,
    extract_claim,
    load_policies,
)
from bots.web.browser import find_browser, launch_args

ROOT = Path(__file__).resolve().parent.parent
EXCLUDED_SUFFIXES = (".expected.json", ".md")
VIEWPORT = {"width": 1280, "height": 900}  # the toolkit's default viewport
TIMEOUT_MS = 30_000


def inbox(folder: Path) -> list[Path]:
    """The files the recipe's source would pick: every file but goldens and notes, by name."""
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                  and not p.name.endswith(EXCLUDED_SUFFIXES))


def external_ref(path: Path) -> str:
    """The same external reference the toolkit types: BOT- and the content hash's start."""
    return "BOT-" + hashlib.sha256(path.read_bytes()).hexdigest()[:10].upper()


def cell_after(label: str) -> str:
    """XPath to the table cell next to the cell whose text is ``label`` (ids change per load)."""
    return f"xpath=//td[normalize-space(.)='{label}']/following-sibling::td[1]"


async def fill(page: Any, label: str, value: str) -> None:
    await page.locator(cell_after(label) + "//*[self::input or self::textarea]").fill(value)


async def click(page: Any, button: str) -> None:
    async with page.expect_navigation():
        await page.locator(f"input[type=submit][value='{button}']").click()


async def read(page: Any, label: str) -> str:
    return (await page.locator(cell_after(label)).inner_text()).strip()


async def sign_on(page: Any, base: str) -> None:
    await page.goto(base + "/login")
    await fill(page, "User ID:", os.environ["LEGACY_USER"])
    await fill(page, "Password:", os.environ["LEGACY_PASSWORD"])
    await click(page, "Sign On")
    if "Invalid user ID or password" in await page.content():
        raise SystemExit("baseline: sign-on refused; check LEGACY_USER and LEGACY_PASSWORD")


async def inquire(page: Any, base: str, policy_number: str) -> str:
    """The policy's status on the inquiry screen; ClaimRejected when the screen lacks it."""
    await page.goto(base + "/policy/inquiry")
    await fill(page, "Policy Number:", policy_number)
    await click(page, "Inquire")
    if "POLICY NOT FOUND" in await page.content():
        raise ClaimRejected("POLICY_NOT_ON_SCREEN")
    return await read(page, "Status:")


async def key_claim(page: Any, base: str, claim: dict[str, str], ref: str) -> str:
    """Key the claim through the three pages; the claim reference the system gave it."""
    await page.goto(base + "/claim/new")
    await fill(page, "Policy Number:", claim["policy_number"])
    await fill(page, "Claimant Name:", claim["claimant_name"])
    await click(page, "Next >")
    await fill(page, "Date of Loss:", date.fromisoformat(claim["loss_date"]).strftime("%m/%d/%Y"))
    await page.locator(cell_after("Loss Type:") + "//select").select_option(claim["loss_type"])
    await fill(page, "Amount Claimed:", claim["amount"])
    await fill(page, "External Reference:", ref)
    await fill(page, "Description:", claim["description"])
    await click(page, "Next >")
    await click(page, "Submit Claim")
    return await read(page, "Claim Reference:")


class Pages:
    """Signed-on pages: the one of an item that ended done serves the next, as in the toolkit."""

    def __init__(self, browser: Any, base: str) -> None:
        self.browser, self.base, self.kept = browser, base, None

    async def take(self) -> Any:
        if self.kept is not None:
            page, self.kept = self.kept, None
            return page
        context = await self.browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        page = await context.new_page()
        await sign_on(page, self.base)
        return page

    async def give_back(self, page: Any, done: bool) -> None:
        if done:
            self.kept = page
        else:
            await page.context.close()

    async def close(self) -> None:
        if self.kept is not None:
            await self.kept.context.close()


async def process(pages: Pages, base: str, path: Path, register: dict[str, Any],
                  phases: defaultdict[str, float]) -> str:
    """One file from PDF to claim reference; ClaimRejected when it needs a person."""
    started = time.perf_counter()
    try:
        claim = extract_claim(path)
        policy = check_policy(claim, register)
    finally:
        phases["pdf_and_sheet"] += time.perf_counter() - started
    started = time.perf_counter()
    page, done = await pages.take(), False
    try:
        await inquire(page, base, claim["policy_number"])
        check_rules(claim, policy)
        reference = await key_claim(page, base, claim, external_ref(path))
        done = True
        return reference
    finally:
        await pages.give_back(page, done)
        phases["web"] += time.perf_counter() - started


async def run(folder: Path, register_path: Path, base: str) -> dict[str, Any]:
    """Every inbox file once, one at a time; the summary."""
    started = time.perf_counter()
    files, register = inbox(folder), load_policies(register_path)
    outcomes: Counter[str] = Counter()
    phases: defaultdict[str, float] = defaultdict(float)  # seconds per kind of work
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=find_browser(playwright.chromium.executable_path), headless=True,
            args=launch_args(urlsplit(base).hostname or "", isolate_network=True))
        pages = Pages(browser, base)
        for path in files:
            try:
                await process(pages, base, path, register, phases)
                outcomes["done"] += 1
            except ClaimRejected as rejected:
                outcomes[rejected.code] += 1
        await pages.close()
        await browser.close()
    done = outcomes.pop("done", 0)
    return {"event": "baseline.summary", "items": len(files), "done": done,
            "exceptions": dict(sorted(outcomes.items())),
            "duration_s": round(time.perf_counter() - started, 2),
            "phases_s": {name: round(seconds, 3) for name, seconds in phases.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.baseline", description=__doc__)
    parser.add_argument("--folder", type=Path, default=ROOT / "fixtures" / "claims")
    parser.add_argument("--policies", type=Path, default=ROOT / "fixtures" / "policies.xlsx")
    args = parser.parse_args(argv)
    missing = [n for n in ("LEGACY_URL", "LEGACY_USER", "LEGACY_PASSWORD") if not os.environ.get(n)]
    if missing:
        print(f"baseline: set {', '.join(missing)} in the environment", file=sys.stderr)
        return 2
    summary = asyncio.run(run(args.folder, args.policies, os.environ["LEGACY_URL"].rstrip("/")))
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
