"""Two workers on one PostgreSQL database while their connections are cut: nothing keyed twice.

A worker whose connection drops runs on: it must not be taken for dead (its lease is re-taken at
the next beat), and if it cannot beat for long it stops its own items before anyone may take
them over. Whatever the cuts, each claim is keyed once and the ledger agrees with the app.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import pytest

from bots.ledger import Ledger
from fixtures.make_soak import external_ref, write_claims
from fixtures.recipe_copy import claims_copy
from tests.e2e.runner_support import run_runner, start_runner

pytestmark = pytest.mark.browser
CLAIMS = 6  # the cuts come every 2.5 s: a run of six at 150 ms a request still sees several


def test_connection_cuts_never_key_a_claim_twice(app, tmp_path, database):
    inbox = tmp_path / "inbox"
    claims = write_claims(inbox, CLAIMS)
    recipe = str(claims_copy(tmp_path, inbox, service_goal=False))
    env = {"BOTS_DATABASE_URL": database}
    app.set_faults(latency_ms=150)
    cutter = Cutter(database)
    workers = [start_runner(app, tmp_path / f"state-{n}", recipe, extra_env=env)
               for n in range(2)]
    _wait_for_claims(app, 1)  # both workers are past their start
    cutter.start()
    ends = [worker.communicate(timeout=300) for worker in workers]
    cutter.stop()
    app.set_faults(latency_ms=0)
    assert cutter.cuts >= 2, "the workers ended before the connections were cut"
    assert {worker.returncode for worker in workers} <= {0, 75}, ends
    final = run_runner(app, tmp_path / "state-final", recipe, extra_env=env)
    assert final.summary["done"] == CLAIMS, final.stderr
    keyed = Counter(claim["external_ref"] for claim in app.claims())
    assert keyed == Counter({external_ref(path): 1 for path in claims})
    _assert_ledger_agrees(database, app.claims())


class Cutter:
    """Terminates every connection to the database but its own, every few seconds."""

    def __init__(self, url: str, every_s: float = 2.5) -> None:
        import psycopg

        self.connection = psycopg.connect(url, autocommit=True)
        self.every_s, self.cuts = every_s, 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._cut_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.connection.close()

    def _cut_forever(self) -> None:
        while not self.stopped.wait(self.every_s):
            cut = self.connection.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()
            self.cuts += int(bool(cut and cut[0]))


def _wait_for_claims(app, count: int) -> None:
    deadline = time.monotonic() + 120
    while len(app.claims()) < count:
        assert time.monotonic() < deadline, "the workers keyed nothing in time"
        time.sleep(0.05)


def _assert_ledger_agrees(url: str, keyed: list[dict[str, Any]]) -> None:
    """Every item done in the ledger with the reference the app gave its claim."""
    by_ref = {claim["external_ref"]: claim["reference"] for claim in keyed}
    ledger = Ledger(url)
    try:
        rows = ledger.find_items()
    finally:
        ledger.close()
    assert {row["status"] for row in rows} == {"done"}
    assert sorted(row["reference"] for row in rows) == sorted(by_ref.values())
