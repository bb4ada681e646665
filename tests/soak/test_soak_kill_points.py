"""The kill-point matrix: a runner killed by SIGKILL anywhere loses nothing, keys nothing twice.

One batch (the valid fixture claims and two bad ones, four at a time) is run again and again,
each run dying by SIGKILL at the second passage of the next named point of bots/chaos.py; each
run resumes what the one before it left, so the kills land on fresh items and on resumed ones
alike. A last run without chaos must exit 0 with the whole batch accounted for and every valid
claim keyed exactly once. One more run of the batch is killed at a seeded random moment while
the legacy app is slow. (This was a test per point, each on a fresh batch: twice the runs, and
no kill of a resumed item.)
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
PASSAGE = 2  # the :1 and :3 runs passed too; 2 kills a process that has finished some work
BAD = {"claim-08-northwind-unknown-policy.pdf": "POLICY_NOT_FOUND",
       "claim-12-corrupt.pdf": "CORRUPT_PDF"}
RANDOM_KILL_SEED = 22
FAST_RETRY = {"attempts": 4, "initial_s": 0.1, "max_s": 0.5, "multiplier": 2, "jitter_s": 0.1}


def small_batch(tmp_path: Path, concurrency: int) -> tuple[Path, Path]:
    """(inbox, recipe): the valid fixture claims and two bad ones, `concurrency` at a time."""
    inbox = fixture_inbox(tmp_path, tuple(BAD))
    recipe = write_recipe(tmp_path, inbox, concurrency=concurrency, retry=FAST_RETRY,
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


def test_killed_at_each_point_in_turn_then_finished_once(app, tmp_path):
    # each run dies at its point's second passage, before it finished more than an item or
    # two, so the batch of nine outlasts the six kills (a run that finished the batch instead
    # would fail the assert); the last run needs no kill and does the rest four at a time
    inbox, recipe = small_batch(tmp_path, concurrency=4)
    state = tmp_path / "state"
    for point in KILL_POINTS:
        killed = run_runner(app, state, recipe, chaos=f"kill={point}:{PASSAGE}", timeout=180)
        assert killed.returncode == -signal.SIGKILL, (
            f"expected death by SIGKILL at {point}:{PASSAGE}, got exit {killed.returncode}: "
            f"{killed.stderr[-2000:]}")
    assert_batch_finished_once(app, state, inbox, recipe)


def wait_until_running(process, limit_s: float) -> None:
    """Wait until the runner has written its first log line (its browser work has begun)."""
    deadline = time.monotonic() + limit_s
    while process.poll() is None and time.monotonic() < deadline:
        if process.stdout.readline():
            return
    pytest.fail("the runner never started its run")


def test_killed_at_random_moment_then_finished_once(app, tmp_path):
    inbox, recipe = small_batch(tmp_path, concurrency=4)
    state = tmp_path / "state"
    app.set_faults(latency_ms=120)  # slow enough that the kill lands among page loads
    process = start_runner(app, state, recipe)
    wait_until_running(process, limit_s=60)
    time.sleep(random.Random(RANDOM_KILL_SEED).uniform(0.5, 6.0))
    alive = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    app.set_faults(latency_ms=0)
    assert alive, "the runner finished before the random kill; lower the delay range"
    assert process.returncode == -signal.SIGKILL
    assert_batch_finished_once(app, state, inbox, recipe)
