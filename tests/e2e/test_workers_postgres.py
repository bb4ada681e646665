"""Several runner processes sharing one PostgreSQL database, as on several machines.

The items are shared out, the recipe's concurrency holds across all processes, and a worker
killed in the middle loses nothing and keys nothing twice: the others take over its items.
Needs the PostgreSQL server on 127.0.0.1:5432; skipped with a clear message where none runs.
"""

from __future__ import annotations

import signal
import sqlite3
import time
from collections import Counter
from datetime import datetime

import pytest

from bots.ledger import Ledger
from tests.e2e.runner_support import CLAIMS, expectations, run_runner, start_runner, write_recipe

pytestmark = pytest.mark.browser

def worker(app, tmp_path, database: str, number: int, *args: str):
    state = tmp_path / f"worker-{number}"  # each worker is its own machine: its own state folder
    env = {"BOTS_DATABASE_URL": database, "BOTS_WORKER_ID": f"worker-{number}"}
    return start_runner(app, state, "claims-intake", *args, extra_env=env)


def busy_items_at_once(database: str) -> int:
    """The most items that were between their first and last step at the same moment."""
    ledger = Ledger(database)
    spans: dict[str, list[float]] = {}
    for item in ledger.find_items():
        for event in ledger.events(item["item_id"]):
            end = datetime.fromisoformat(event["at"]).timestamp()
            start = end - float(event["data"].get("duration_s", 0))
            span = spans.setdefault(item["item_id"], [start, end])
            span[0], span[1] = min(span[0], start), max(span[1], end)
    ledger.close()
    edges = sorted([(s, 1) for s, _ in spans.values()] + [(e, -1) for _, e in spans.values()])
    busy = peak = 0
    for _, change in edges:
        busy += change
        peak = max(peak, busy)
    return peak


def test_workers_share_the_batch_and_a_killed_worker_loses_nothing(app, tmp_path, database):
    app.set_faults(latency_ms=100)
    workers = [worker(app, tmp_path, database, n) for n in (1, 2, 3)]
    deadline = time.monotonic() + 120
    while len(app.claims()) < 2:
        assert time.monotonic() < deadline, "no claim keyed in time"
        time.sleep(0.05)
    workers[1].send_signal(signal.SIGKILL)
    outputs = [process.communicate(timeout=240) for process in workers]
    app.set_faults(latency_ms=0)
    valid = sum(e["outcome"] == "done" for e in expectations().values())
    for number in (0, 2):
        assert workers[number].returncode == 0, outputs[number][1]
    assert workers[1].returncode == -signal.SIGKILL
    refs = Counter(claim["external_ref"] for claim in app.claims())
    assert len(refs) == valid and set(refs.values()) == {1}
    assert busy_items_at_once(database) <= 2  # the recipe's concurrency, across all workers
    again = run_runner(app, tmp_path / "worker-4", "claims-intake",
                       extra_env={"BOTS_DATABASE_URL": database})
    assert again.summary["already_finished"] == len(expectations())
    assert len(app.claims()) == valid


def test_sqlite_stays_the_default(app, tmp_path, monkeypatch):
    """Without BOTS_DATABASE_URL, a run keeps DBOS's state and the ledger in state/bots.sqlite."""
    monkeypatch.delenv("BOTS_DATABASE_URL", raising=False)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "claim.pdf").write_bytes((CLAIMS / "claim-01-acme-water.pdf").read_bytes())
    state = tmp_path / "state"
    result = run_runner(app, state, str(write_recipe(tmp_path, inbox)))
    assert result.returncode == 0 and result.summary["done"] == 1, result.stderr
    with sqlite3.connect(state / "bots.sqlite") as db:
        ledger = db.execute("SELECT status FROM bots_items").fetchall()
        workflows = db.execute("SELECT status FROM workflow_status").fetchall()
    assert ledger == [("done",)] and workflows == [("SUCCESS",)]
