"""The chaos run end to end on a few claims: two scenarios must audit clean, and the audit must
catch a bot that trusts "not found" too early (so the clean result means something)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.chaos import render, run_scenario
from bench.chaos_audit import CLAIMS, audit
from bench.chaos_claims import write_valid
from bench.chaos_support import World, claims_recipe
from bench.workers import CREDENTIALS
from bots.kernel.errors import BotError
from bots.web.browser import find_browser
from fixtures.legacy_app import LegacyApp, launch

pytestmark = pytest.mark.browser
# claims per scenario: enough for faults to hit, seconds per run (3 saved nothing: the runs'
# starts dominate). late-commits seeds the app's generator with 9, whose third draw (0.14) is
# below its late_commit_rate 0.3, so the third submit commits late
SMALL = 4


@pytest.fixture(scope="module")
def app() -> Iterator[LegacyApp]:
    """The fixture legacy app with the bench's sign-on (skipped without Chromium)."""
    try:
        find_browser()
    except BotError as error:
        pytest.skip(str(error))
    with launch(env=CREDENTIALS) as started:
        yield started


@pytest.mark.parametrize("scenario", ["late-commits", "wiped-state"])
def test_a_scenario_keys_nothing_twice_and_loses_nothing(app: LegacyApp, tmp_path: Path,
                                                         scenario: str) -> None:
    result = run_scenario(app, scenario, SMALL, tmp_path)
    assert "error" not in result, result.get("traceback")
    report = render([result])
    assert result["audit"]["inputs"] == SMALL * (2 if scenario == "wiped-state" else 1)
    assert result["audit"]["counts"] == {"keyed_twice": 0, "lost": 0, "stuck": 0,
                                         "disagreements": 0}, report
    assert {run["exit_code"] for run in result["runs"]} == {0}, result["runs"]
    if scenario == "late-commits":  # the fault bit: a clean audit is not a vacuous one
        assert app.late_commits()["committed"] >= 1, result["notes"]


def test_the_audit_catches_a_check_that_trusts_not_found_at_once(app: LegacyApp,
                                                                 tmp_path: Path) -> None:
    """settle_s 0 and every submit committed late: the retry keys the claim again."""
    app.reset()
    inbox, state = tmp_path / "inbox", tmp_path / "state"
    write_valid(inbox, 1)
    recipe = claims_recipe(tmp_path, inbox, check={"settle_s": 0},
                           retry={"attempts": 2, "initial_s": 0.2, "max_s": 0.2},
                           outage={"wait_s": 0})  # two submits exactly, no probes after
    world = World(app, tmp_path)
    # longer than any check, also on a loaded machine (8 s was not: the retry's check found
    # the first claim committed, so nothing was keyed twice for the audit to catch)
    app.set_faults(late_commit_rate=1, late_commit_ms=20000)
    world.run("run", state, str(recipe))
    app.set_faults(late_commit_rate=0)
    app.wait_for_late_commits(timeout_s=60)
    findings = audit(app, f"sqlite:///{state / 'bots.sqlite'}", [(recipe, CLAIMS)])
    assert len(app.claims()) == 2
    assert findings.counts()["keyed_twice"] == 1, findings
    assert findings.counts()["disagreements"] >= 1, findings
