"""One owner per item across processes: resubmits, worker ids, a wiped state, a tripped breaker.

Each test drives the real runner against the fixture app and counts what the app keyed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bots.ledger import Ledger
from bots.ledger.actions import find_item
from fixtures.make_soak import external_ref, write_claims
from fixtures.recipe_copy import claims_copy
from tests.e2e.runner_support import CLAIMS, ROOT, run_runner, runner_env, start_runner

pytestmark = pytest.mark.browser


def test_two_resubmits_of_one_item_at_once_key_it_once(app, tmp_path, backend):
    inbox, state = tmp_path / "inbox", tmp_path / "state"
    inbox.mkdir()
    shutil.copy(CLAIMS / "claim-10-acme-over-limit.pdf", inbox)
    recipe = str(claims_copy(tmp_path, inbox))
    first = run_runner(app, state, recipe, extra_env=backend)
    assert first.summary["exceptions"] == {"AMOUNT_OVER_LIMIT": 1}, first.stderr
    env = {**runner_env(app, state), **backend}
    item_id = _exception_ids(env)[0]
    app.set_faults(latency_ms=300)  # the first resubmit is still keying when the second asks
    retries = [_start_retry(env, item_id) for _ in range(2)]
    ended = [(process.returncode, out, err)
             for process in retries for out, err in [process.communicate(timeout=240)]]
    app.set_faults(latency_ms=0)
    codes = sorted(code for code, _, _ in ended)
    assert codes == [0, 2], ended
    refused = next(err for code, _, err in ended if code == 2)
    assert "being worked right now" in refused or "only open exceptions" in refused
    keyed = Counter(claim["external_ref"] for claim in app.claims())
    assert list(keyed.values()) == [1], keyed
    assert _retries_audited(backend, state, item_id) == 1


def test_a_wiped_state_or_a_renamed_recipe_keys_nothing_again(app, tmp_path):
    inbox, state = tmp_path / "inbox", tmp_path / "state"
    claims = write_claims(inbox, 2)  # two: each run must find every one, not just the first
    recipe = claims_copy(tmp_path, inbox)
    assert run_runner(app, state, str(recipe)).summary["done"] == 2
    shutil.rmtree(state)
    again = run_runner(app, state, str(recipe))
    renamed = run_runner(app, state, str(_renamed(recipe, "claims-renamed")))
    for run in (again, renamed):
        assert run.summary["done"] == 2 and run.summary["already_finished"] == 0, run.stderr
    keyed = Counter(claim["external_ref"] for claim in app.claims())
    assert keyed == Counter({external_ref(path): 1 for path in claims})
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        rows = ledger.find_items(recipe="claims-renamed")
    finally:
        ledger.close()
    assert [row["outputs"]["submit"].get("found_in_target") for row in rows] == [True] * 2


def test_a_second_process_with_the_same_worker_id_is_refused(app, tmp_path, backend):
    inbox, state = tmp_path / "inbox", tmp_path / "state"
    write_claims(inbox, 8)
    env = {**backend, "BOTS_WORKER_ID": "worker-one"}
    app.set_faults(latency_ms=300)  # the batch holds its lease for half a minute or more
    batch = start_runner(app, state, str(claims_copy(tmp_path, inbox, concurrency=1)),
                         extra_env=env)
    _wait_for_claims(app, 1)
    other = tmp_path / "other"
    other.mkdir()
    started = time.monotonic()
    second = run_runner(app, state, str(_renamed(claims_copy(other, inbox), "claims-other")),
                        extra_env=env, timeout=60)
    refused_in = time.monotonic() - started
    batch.terminate()  # its lease held throughout; what it leaves, the next run finishes
    batch.communicate(timeout=120)
    app.set_faults(latency_ms=0)
    assert second.returncode == 2, second.stderr
    assert "already works as 'worker-one'" in second.stderr and refused_in < 30
    assert "Traceback" not in second.stderr


def test_a_tripped_breaker_leaves_its_items_on_the_recipe_queue(app, tmp_path):
    inbox, state = tmp_path / "inbox", tmp_path / "state"
    claims = write_claims(inbox, 6)
    recipe = str(claims_copy(tmp_path, inbox, concurrency=1,
                             circuit_breaker={"consecutive_failures": 1},
                             retry={"attempts": 1}, outage={"wait_s": 0}))
    app.set_faults(error_rate=1.0)
    stopped = run_runner(app, state, recipe)
    app.set_faults(error_rate=0.0)
    assert stopped.returncode == 75 and stopped.summary["not_finished"] == 5, stopped.stderr
    statuses = _workflow_statuses(state)
    assert "CANCELLED" not in {status for status, _ in statuses}
    assert {queue for status, queue in statuses if status != "SUCCESS"} == {"bots-claims-intake"}
    resumed = run_runner(app, state, recipe)
    assert resumed.summary["done"] == 5 and resumed.summary["already_finished"] == 1
    keyed = Counter(claim["external_ref"] for claim in app.claims())
    assert set(keyed.values()) == {1} and len(keyed) == 5
    assert set(keyed) < {external_ref(path) for path in claims}


def _exception_ids(env: dict[str, str]) -> list[str]:
    listed = subprocess.run([sys.executable, "runner.py", "exceptions", "--json"], cwd=ROOT,
                            env=env, text=True, capture_output=True, check=True, timeout=120)
    return [item["id"] for item in json.loads(listed.stdout)]


def _start_retry(env: dict[str, str], item_id: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "runner.py", "exceptions", "retry", item_id,
                             "--set", "claim.amount=4900.00", "--json"], cwd=ROOT, env=env,
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _retries_audited(backend: dict[str, str], state: Path, item_id: str) -> int:
    """How many resubmits of the item (by its short id) the audit trail holds."""
    ledger = Ledger(backend.get("BOTS_DATABASE_URL") or f"sqlite:///{state / 'bots.sqlite'}")
    try:
        item = find_item(ledger, item_id)
        return sum(entry["action"] == "retry" for entry in ledger.audit_trail(item["item_id"]))
    finally:
        ledger.close()


def _renamed(recipe: Path, name: str) -> Path:
    yaml = YAML()
    data: Any = yaml.load(recipe.read_text())
    data["recipe"] = name
    path = recipe.with_name(f"{name}.yaml")
    with path.open("w") as handle:
        yaml.dump(data, handle)
    return path


def _wait_for_claims(app, count: int) -> None:
    deadline = time.monotonic() + 120
    while len(app.claims()) < count:
        assert time.monotonic() < deadline, "the batch keyed nothing in time"
        time.sleep(0.05)


def _workflow_statuses(state: Path) -> list[tuple[str, str | None]]:
    """(status, queue) of every DBOS workflow in the state database."""
    import sqlite3

    with sqlite3.connect(state / "bots.sqlite") as db:
        return list(db.execute("SELECT status, queue_name FROM workflow_status"))
