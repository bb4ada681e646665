"""A resubmit while a batch of the same recipe runs, on one state database.

The resubmit (`exceptions retry`, which the review page also runs) works on the same DBOS
lifecycle as the batch but with its own worker identity, listening to no recipe's queue: it
must neither run the batch's items nor stop the batch's DBOS. Every claim is keyed once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bots.ledger import Ledger
from fixtures.make_soak import external_ref, write_claims
from tests.e2e.runner_support import (
    CLAIMS,
    ROOT,
    run_runner,
    runner_env,
    start_runner,
    write_recipe,
)

pytestmark = pytest.mark.browser
NEW_CLAIMS = 8


def test_a_resubmit_during_a_batch_takes_none_of_its_items(app, tmp_path, backend):
    inbox, state = tmp_path / "inbox", tmp_path / "state"
    inbox.mkdir()
    shutil.copy(CLAIMS / "claim-10-acme-over-limit.pdf", inbox)
    recipe = str(write_recipe(tmp_path, inbox, concurrency=2))
    first = run_runner(app, state, recipe, extra_env=backend)
    assert first.summary["exceptions"] == {"AMOUNT_OVER_LIMIT": 1}, first.stderr
    new = write_claims(inbox, NEW_CLAIMS)
    app.set_faults(latency_ms=250)  # the batch stays in flight while the resubmit runs
    batch = start_runner(app, state, recipe, extra_env=backend)
    _wait_for_claims(app, 1)
    retried = _retry_over_limit(app, state, backend)
    stdout, stderr = batch.communicate(timeout=240)
    app.set_faults(latency_ms=0)
    assert retried.returncode == 0 and json.loads(retried.stdout)["status"] == "done", \
        retried.stderr
    assert batch.returncode == 0, stderr
    summary = json.loads(stdout.strip().splitlines()[-1])
    assert summary["done"] == NEW_CLAIMS and summary["not_finished"] == 0
    keyed = Counter(claim["external_ref"] for claim in app.claims())
    assert set(keyed.values()) == {1} and len(keyed) == NEW_CLAIMS + 1
    assert {external_ref(path) for path in new} <= set(keyed)
    _assert_batch_ran_its_own_items(backend, state, summary["run_id"], {p.name for p in new})


def _retry_over_limit(app, state: Path, backend: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**runner_env(app, state), **backend}
    listed = subprocess.run([sys.executable, "runner.py", "exceptions", "--json"], cwd=ROOT,
                            env=env, text=True, capture_output=True, check=True, timeout=120)
    [item] = json.loads(listed.stdout)
    return subprocess.run([sys.executable, "runner.py", "exceptions", "retry", item["id"],
                           "--set", "claim.amount=4900.00", "--json"], cwd=ROOT, env=env,
                          text=True, capture_output=True, check=False, timeout=240)


def _wait_for_claims(app, count: int) -> None:
    deadline = time.monotonic() + 120
    while len(app.claims()) < count:
        assert time.monotonic() < deadline, "the batch keyed nothing in time"
        time.sleep(0.05)


def _assert_batch_ran_its_own_items(backend: dict[str, str], state: Path, run_id: str,
                                    names: set[str]) -> None:
    """Every new item was started by the batch's run, none by the resubmit's process."""
    ledger = Ledger(backend.get("BOTS_DATABASE_URL") or f"sqlite:///{state / 'bots.sqlite'}")
    try:
        runs = {row["name"]: row["run_id"] for row in ledger.find_items()}
    finally:
        ledger.close()
    assert {runs[name] for name in names} == {run_id}
