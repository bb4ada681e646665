"""Soak helpers: the runner as a subprocess, a recipe copy, and the checks that compare what the
ledger says with what the legacy app's database holds.

Copied in spirit from tests/e2e/conftest.py. A module of its own name, not `conftest`, so that
the soak tests import their helpers even when pytest loads another folder's conftest last.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bots.ledger import Ledger
from fixtures.legacy_app import LegacyApp
from fixtures.make_soak import external_ref
from fixtures.recipe_copy import claims_copy
from tests.runner_result import RunResult

ROOT = Path(__file__).resolve().parents[2]
CLAIMS = ROOT / "fixtures" / "claims"
USER = "soak.clerk"
PASSWORD = "pw-" + secrets.token_hex(8)


def runner_env(app: LegacyApp, state: Path, chaos: str = "") -> dict[str, str]:
    """The runner's environment: the app's URL and sign-on, a state folder, optional chaos."""
    env = {**os.environ, "LEGACY_URL": app.url, "LEGACY_USER": USER,
           "LEGACY_PASSWORD": PASSWORD, "BOTS_STATE_DIR": str(state),
           "BOTS_ISOLATE_NETWORK": "1"}
    env.pop("BOTS_CHAOS", None)
    if chaos:
        env["BOTS_CHAOS"] = chaos
    return env


def start_runner(app: LegacyApp, state: Path, recipe: Path,
                 chaos: str = "") -> subprocess.Popen[str]:
    """Start `runner.py RECIPE` in the background, its output captured."""
    return subprocess.Popen([sys.executable, "runner.py", str(recipe)], cwd=ROOT, text=True,
                            env=runner_env(app, state, chaos), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def run_runner(app: LegacyApp, state: Path, recipe: Path, chaos: str = "",
               timeout: float = 240) -> RunResult:
    """Run `runner.py RECIPE` to its end."""
    process = start_runner(app, state, recipe, chaos)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        last_events = "\n".join(stdout.splitlines()[-12:])
        pytest.fail(f"the runner took longer than {timeout} s; its last events:\n{last_events}"
                    f"\nstderr tail: {stderr[-2000:]}")
    return RunResult(process.returncode, stdout, stderr)


def write_recipe(tmp_path: Path, inbox: Path, **settings: Any) -> Path:
    """A copy of claims-intake reading another inbox, without report or service goal."""
    return claims_copy(tmp_path, inbox, "claims-soak.yaml", service_goal=False, **settings)


def fixture_inbox(tmp_path: Path, bad: tuple[str, ...]) -> Path:
    """An inbox of the valid fixture claims plus the named bad ones."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in [*valid_fixture_claims(), *bad]:
        shutil.copy(CLAIMS / name, inbox)
    return inbox


def valid_fixture_claims() -> list[str]:
    """The fixture claims whose expected outcome is done."""
    return sorted(path.name.removesuffix(".expected.json")
                  for path in CLAIMS.glob("*.expected.json")
                  if json.loads(path.read_text())["outcome"] == "done")


def ledger_items(state: Path) -> dict[str, dict[str, Any]]:
    """Every item of the state database's ledger, by file name."""
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        return {row["name"]: row for row in ledger.find_items()}
    finally:
        ledger.close()


def keyed_refs(app: LegacyApp) -> Counter[str]:
    """How many claims the legacy app holds for each external reference."""
    return Counter(claim["external_ref"] for claim in app.claims())


def assert_ledger_matches_app(app: LegacyApp, state: Path, inbox: Path) -> dict[str, Any]:
    """Each done item keyed exactly once, nothing keyed for an item not done, none missing."""
    items = ledger_items(state)
    files = sorted(path.name for path in inbox.iterdir())
    assert sorted(items) == files, "the ledger's items are not the inbox's files"
    refs = keyed_refs(app)
    twice = {ref: n for ref, n in refs.items() if n > 1}
    assert not twice, f"claims keyed more than once: {twice}"
    done = {external_ref(inbox / name) for name, row in items.items() if row["status"] == "done"}
    strays = set(refs) - done
    assert not strays, f"claims in the app for items the ledger does not call done: {strays}"
    missing = done - set(refs)
    assert not missing, f"items done in the ledger without a claim in the app: {missing}"
    unfinished = {n: r["status"] for n, r in items.items() if r["status"] not in
                  ("done", "exception")}
    assert not unfinished, f"items neither done nor an exception: {unfinished}"
    return items
