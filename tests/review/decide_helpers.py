"""Shared by the review decision tests in a real browser: real runs of claims-intake against
the fixture app, the review page served on loopback, tabs signed on through a proxy header."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bots.ledger import Ledger
from bots.review import create_app
from bots.review.proxy import ProxyTrust
from bots.web.browser import find_browser, launch_args
from fixtures.legacy_app import LegacyApp
from fixtures.recipe_copy import recipe_copy
from tests.review.review_helpers import on_loopback

ROOT = Path(__file__).resolve().parents[2]
CLAIMS = ROOT / "fixtures" / "claims"
USER, PASSWORD = "decide.clerk", "pw-" + secrets.token_hex(8)
RESULT_TIMEOUT_MS = 180_000  # a resubmit starts DBOS and Chromium: slow on a loaded machine


def run_claims(app: LegacyApp, folder: Path, state: Path, names: list[str],
               password: str = PASSWORD, change: Callable[[Any], None] | None = None) -> int:
    """claims-intake (a copy, changed by `change`) over an inbox of the named fixture
    claims; its exit code."""
    inbox = folder / "inbox"
    inbox.mkdir(parents=True)
    for name in names:
        shutil.copy(CLAIMS / name, inbox / name)

    def read_inbox(data: Any) -> None:
        data["source"]["folder"] = str(inbox)
        if change:
            change(data)

    recipe = recipe_copy(folder, "claims-intake", read_inbox)
    env = {**os.environ, "LEGACY_URL": app.url, "LEGACY_USER": USER, "LEGACY_PASSWORD": password,
           "BOTS_STATE_DIR": str(state), "BOTS_ISOLATE_NETWORK": "1"}
    return subprocess.run([sys.executable, "runner.py", "run", str(recipe)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False).returncode


def item_of(state: Path, code: str) -> dict[str, Any]:
    """The first item of the state's ledger with this code."""
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        return next(item for item in ledger.find_items() if item["code"] == code)
    finally:
        ledger.close()


@contextlib.contextmanager
def serving(state: Path, app: LegacyApp) -> Iterator[str]:
    """The review page over that state, its resubmits pointed at the fixture app (the page's
    environment is what `runner.py exceptions retry` inherits); people sign on through the
    X-Remote-User header (role: X-Remote-Role) from loopback."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"LEGACY_URL": app.url, "LEGACY_USER": USER,
                            "LEGACY_PASSWORD": PASSWORD, "BOTS_ISOLATE_NETWORK": "1"}.items():
            patch.setenv(name, value)
        review = create_app(f"sqlite:///{state / 'bots.sqlite'}", state, goals={},
                            allowed_hosts=["127.0.0.1"],
                            proxy=ProxyTrust.of("X-Remote-User", ["127.0.0.1"],
                                                "X-Remote-Role"))
        with on_loopback(review) as url:
            yield url


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_browser(), headless=True,
            args=launch_args("", isolate_network=True))
        yield browser
        browser.close()


def page_as(browser: Browser, name: str, role: str = "analyst") -> Page:
    """A browser tab at 1366x768 signed on as `name` (through the trusted proxy header)."""
    return browser.new_page(viewport={"width": 1366, "height": 768},
                            extra_http_headers={"X-Remote-User": name, "X-Remote-Role": role})
