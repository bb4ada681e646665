"""Configuration that cannot work stops a run before any item starts: exit 2, one clear line.

A new user's first mistakes: LEGACY_URL without `http://`, a BOTS_BROWSER that is not there.
Nothing is queued, nothing is left `running`, and once the setting is fixed the same batch
runs as if the mistake never happened.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bots.ledger import Ledger
from tests.e2e.runner_support import CLAIMS, run_runner, write_recipe

pytestmark = pytest.mark.browser
FILES = ("claim-01-acme-water.pdf", "claim-08-northwind-unknown-policy.pdf")


@pytest.fixture
def recipe(tmp_path: Path) -> str:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in FILES:
        shutil.copy(CLAIMS / name, inbox)
    return str(write_recipe(tmp_path, inbox))


def statuses(state: Path) -> dict[str, str]:
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        return {row["name"]: row["status"] for row in ledger.find_items()}
    finally:
        ledger.close()


def test_a_base_url_without_scheme_stops_the_run_before_any_item(app, tmp_path, recipe):
    state = tmp_path / "state"
    bare = app.url.removeprefix("http://")
    wrong = run_runner(app, state, recipe, extra_env={"LEGACY_URL": bare})
    assert wrong.returncode == 2
    [line] = wrong.stderr.strip().splitlines()
    assert line.startswith("error: ") and ".yaml:" in line and "web.base_url" in line
    assert f"got '{bare}'" in line and "$LEGACY_URL" in line
    [summary] = wrong.stdout.strip().splitlines()  # a scheduler still gets its one JSON line
    assert json.loads(summary)["exit_code"] == 2 and "web.base_url" in wrong.summary["reason"]
    assert wrong.summary["event"] in Path(wrong.summary["log_file"]).read_text().splitlines()[-1]
    assert statuses(state) == {} and app.claims() == []
    fixed = run_runner(app, state, recipe)
    assert fixed.returncode == 0, fixed.stderr
    assert (fixed.summary["done"], fixed.summary["exceptions"]) == (1, {"POLICY_NOT_FOUND": 1})
    assert set(statuses(state).values()) == {"done", "exception"}


def test_a_missing_browser_stops_the_run_before_any_item(app, tmp_path, recipe):
    state = tmp_path / "state"
    result = run_runner(app, state, recipe, extra_env={"BOTS_BROWSER": str(tmp_path / "none")})
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "'web' cannot work here" in line and "BOTS_BROWSER" in line
    assert statuses(state) == {}
