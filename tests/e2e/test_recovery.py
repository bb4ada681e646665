"""Crashes, failures and evidence, end to end against the real fixture app.

A run killed with SIGKILL mid-batch is finished by the next run with no claim keyed twice; a
response lost after the submit is settled by the recipe's check; a system that keeps failing
leaves an exception with its screenshot and HTML, and never the password.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bots.engine.summary import EXIT_APPLICATION, EXIT_INTERRUPTED, EXIT_TEMPFAIL
from tests.e2e.runner_support import (
    CLAIMS,
    PASSWORD,
    ROOT,
    USER,
    expectations,
    run_runner,
    runner_env,
    start_runner,
    write_recipe,
)

pytestmark = pytest.mark.browser


def wait_for_claims(app, count: int, process: subprocess.Popen[str], limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while len(app.claims()) < count:
        assert process.poll() is None, "the runner finished before it could be killed"
        assert time.monotonic() < deadline, "no claim was keyed in time"
        time.sleep(0.05)


def kill_after_claims(app, tmp_path: Path, kill_after: int) -> None:
    """Start a run over the fixture claims and SIGKILL it once `kill_after` claims are keyed."""
    process = start_runner(app, tmp_path, "claims-intake", "--concurrency", "2")
    wait_for_claims(app, kill_after, process, limit_s=120)
    process.send_signal(signal.SIGKILL)
    process.communicate()


def sigterm_after_claims(app, tmp_path: Path, claims: int) -> None:
    """Start a run, SIGTERM it once `claims` are keyed: it stops within seconds, exit 130."""
    process = start_runner(app, tmp_path, "claims-intake", "--concurrency", "2")
    wait_for_claims(app, claims, process, limit_s=120)
    stopped_at = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert time.monotonic() - stopped_at < 20
    assert process.returncode == EXIT_INTERRUPTED, stderr
    assert "Traceback" not in stderr


def test_killed_then_stopped_runs_are_finished_next_time_with_nothing_twice(app, tmp_path):
    """One batch: a run SIGKILLed mid-batch, the next stopped by SIGTERM (which resumes the
    killed run's items first), a last one finishes it (was two tests, each with its own
    final run over the whole batch, and a second kill that proved nothing new)."""
    app.set_faults(latency_ms=150)  # slow enough to kill between and during submits
    kill_after_claims(app, tmp_path, 2)
    sigterm_after_claims(app, tmp_path, 3)
    app.set_faults(latency_ms=0)
    final = run_runner(app, tmp_path, "claims-intake")
    assert final.returncode == 0, final.stderr
    valid = sum(e["outcome"] == "done" for e in expectations().values())
    assert final.summary["done"] == valid
    refs = Counter(claim["external_ref"] for claim in app.claims())
    assert len(refs) == valid and set(refs.values()) == {1}


def one_claim_inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(CLAIMS / "claim-02-acme-theft.pdf", inbox)
    return inbox


@pytest.mark.parametrize("attempts", [3, 1], ids=["on-the-retry", "after-the-last-attempt"])
def test_lost_response_after_submit_is_settled_by_the_check(app, tmp_path, attempts):
    recipe = write_recipe(tmp_path, one_claim_inbox(tmp_path), retry={
        "attempts": attempts, "initial_s": 0.1, "max_s": 0.2, "jitter_s": 0},
        outage={"wait_s": 0})  # the last attempt's lost answer, not a ridden-out outage
    app.set_faults(lose_response_rate=1.0)
    result = run_runner(app, tmp_path / "state", str(recipe))
    app.set_faults(lose_response_rate=0.0)
    assert result.returncode == 0, result.stderr
    assert result.summary["done"] == 1
    claims = app.claims()
    assert len(claims) == 1
    show = run_json(app, tmp_path / "state", "exceptions", "show", "claims-copy")
    assert show is None  # nothing in the queue: the check found the claim


def run_json(app, state: Path, *args: str):
    out = subprocess.run([sys.executable, "runner.py", *args, "--json"], cwd=ROOT, text=True,
                         env=runner_env(app, state), capture_output=True, check=False)
    return json.loads(out.stdout) if out.returncode == 0 else None


def test_system_down_leaves_an_explained_exception_with_evidence(app, tmp_path):
    recipe = write_recipe(tmp_path, one_claim_inbox(tmp_path), outage={"wait_s": 0},
                          retry={"attempts": 2, "initial_s": 0.1, "max_s": 0.2, "jitter_s": 0})
    app.set_faults(error_rate=1.0)
    result = run_runner(app, tmp_path / "state", str(recipe))
    app.set_faults(error_rate=0.0)
    assert result.returncode == EXIT_APPLICATION
    assert result.summary["exceptions"] == {"RETRIES_EXHAUSTED": 1}
    [item] = run_json(app, tmp_path / "state", "exceptions")
    assert item["code"] == "RETRIES_EXHAUSTED" and item["step"] == "inquiry"
    shown = run_json(app, tmp_path / "state", "exceptions", "show", item["id"])
    evidence = shown["evidence"]
    assert Path(evidence["screenshot"]).stat().st_size > 1000
    assert "Service Unavailable" in Path(evidence["html"]).read_text()
    assert app.claims() == []


def test_no_artifact_holds_a_secret(app, tmp_path):
    """A whole batch, with failures that leave evidence: the password and the user id (marked
    sensitive by the recipe) appear in no file the run wrote, nor in its output."""
    recipe = write_recipe(tmp_path, CLAIMS, circuit_breaker={"consecutive_failures": 0},
                          retry={"attempts": 2, "initial_s": 0.1, "max_s": 0.2, "jitter_s": 0},
                          outage={"wait_s": 0})  # 30 % errors are no outage to ride out
    text = recipe.read_text().replace("recipe: claims-intake", "recipe: claims-intake\n"
                                      "secrets: [LEGACY_USER]", 1)
    recipe.write_text(text)
    app.set_faults(error_rate=0.3, seed=5)
    result = run_runner(app, tmp_path / "state", str(recipe), "--concurrency", "2")
    app.set_faults(error_rate=0.0)
    assert result.summary["items"] == len(expectations())
    secrets = [PASSWORD.encode(), USER.encode()]
    written = [path for path in (tmp_path / "state").rglob("*") if path.is_file()]
    assert any(path.suffix == ".html" for path in written), "the faults left no evidence"
    for path in written:
        for secret in secrets:
            assert secret not in path.read_bytes(), path
    for secret in secrets:
        assert secret.decode() not in result.stdout + result.stderr


def test_circuit_breaker_stops_a_run_against_a_dead_system_and_the_next_run_finishes(app, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    valid = [n for n, e in expectations().items() if e["outcome"] == "done"]
    for name in valid:
        shutil.copy(CLAIMS / name, inbox)
    recipe = write_recipe(tmp_path, inbox, concurrency=1, circuit_breaker={
        "consecutive_failures": 3}, retry={"attempts": 1}, outage={"wait_s": 0})
    state = tmp_path / "state"
    app.set_faults(error_rate=1.0)
    stopped = run_runner(app, state, str(recipe))
    app.set_faults(error_rate=0.0)
    assert stopped.returncode == EXIT_TEMPFAIL, stopped.stderr
    summary = stopped.summary
    assert summary["halted"] and summary["exceptions"] == {"RETRIES_EXHAUSTED": 3}
    assert summary["not_finished"] == len(valid) - 3
    assert "the target system looks down" in stopped.stderr
    resumed = run_runner(app, state, str(recipe))
    assert resumed.summary["done"] == len(valid) - 3
    assert len(app.claims()) == len(valid) - 3
