"""Batches that heal themselves: an item that ended with a system failure (the legacy app
answered 503 to everything) is retried by a later run on the recipe's `retry_failed` policy,
once it is old enough and while it has retries left, then left for a person.

Real runner subprocesses, real headless Chromium against the fixture app, the real ledger. One
item and one state folder walk through the policy's cases run after run.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from bots.ledger import Ledger
from fixtures.legacy_app import LegacyApp
from tests.e2e.runner_support import CLAIMS, PASSWORD, run_runner, write_recipe

pytestmark = pytest.mark.browser

FILE = "claim-01-acme-water.pdf"
QUICK = {"retry": {"attempts": 1, "initial_s": 0, "max_s": 0, "jitter_s": 0},
         "outage": {"wait_s": 0}}  # fail at once while the app answers 503


def _item(state: Path) -> dict[str, Any]:
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        [row] = ledger.find_items()
        return {**row, "audit": ledger.audit_trail(row["item_id"])}
    finally:
        ledger.close()


def _run(app: LegacyApp, tmp_path: Path, inbox: Path, env: dict[str, str] | None = None,
         **policy: Any) -> dict[str, Any]:
    """One run of the claims recipe with `retry_failed: policy`; its summary."""
    recipe = write_recipe(tmp_path, inbox, service_goal=False, retry_failed=policy, **QUICK)
    result = run_runner(app, tmp_path / "state", "run", str(recipe), extra_env=env)
    if env:  # killed on purpose: no summary
        assert result.returncode == -9, result.stderr
        return {}
    assert "Traceback" not in result.stderr, result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    summary: dict[str, Any] = result.summary
    return summary


def test_a_system_failure_heals_on_a_later_run_within_the_policy(
        app: LegacyApp, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(CLAIMS / FILE, inbox)
    state = tmp_path / "state"

    app.set_faults(error_rate=1)  # the target answers 503 to every page
    first = _run(app, tmp_path, inbox, times=1, after_s=3600)
    failed = _item(state)
    assert failed["status"] == "exception", failed
    assert first["exit_code"] in (1, 75), first
    app.set_faults(error_rate=0)

    waiting = _run(app, tmp_path, inbox, times=1, after_s=3600)  # failed moments ago
    assert waiting["auto_retry"] == {"retried": 0, "done": 0, "still_open": 0, "waiting": 1,
                                     "left_for_a_person": 0}
    assert _item(state)["status"] == "exception" and app.claims() == []

    off = _run(app, tmp_path, inbox, times=0, after_s=0)  # the policy turned off
    assert off["auto_retry"]["retried"] == 0 and off["auto_retry"]["left_for_a_person"] == 1
    assert _item(state)["code"] == failed["code"] and app.claims() == []

    healed = _run(app, tmp_path, inbox, times=1, after_s=0)
    assert healed["auto_retry"] == {"retried": 1, "done": 1, "still_open": 0, "waiting": 0,
                                    "left_for_a_person": 0}, healed
    assert healed["exit_code"] == 0 and healed["done"] == 1, healed
    item = _item(state)
    assert item["status"] == "done"
    [claim] = app.claims()  # keyed once, by the retry
    assert item["reference"] == claim["reference"]
    [auto] = [entry for entry in item["audit"] if entry["who"] == "auto-retry"]
    assert auto["action"] == "retry" and "automatic retry 1 of 1" in auto["note"]
    assert f"was {failed['code']}" in auto["note"]



def test_a_retry_killed_mid_way_is_finished_by_the_next_run_not_started_again(
        app: LegacyApp, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(CLAIMS / FILE, inbox)
    state = tmp_path / "state"
    app.set_faults(error_rate=1)
    _run(app, tmp_path, inbox, times=2, after_s=0)
    app.set_faults(error_rate=0)
    _run(app, tmp_path, inbox, {"BOTS_CHAOS": "kill=step.start:1"}, times=2, after_s=0)
    assert [entry["who"] for entry in _item(state)["audit"]] == ["auto-retry"]  # began, died
    resumed = _run(app, tmp_path, inbox, times=2, after_s=0)
    assert resumed["auto_retry"]["retried"] == 1 and resumed["auto_retry"]["done"] == 1, resumed
    item = _item(state)
    assert item["status"] == "done" and len(app.claims()) == 1
    [auto] = [entry for entry in item["audit"] if entry["who"] == "auto-retry"]  # not a second
    assert "automatic retry 1 of 2" in auto["note"]
