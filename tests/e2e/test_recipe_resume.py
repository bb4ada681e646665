"""A recipe outside recipes/, end to end with the real fixture app and browser: its corrected
exception is resubmitted from another folder and keyed once; a run stopped mid-batch and
resumed after the recipe was edited says so, keeps the recipe's concurrency, keys nothing twice.
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bots.engine.summary import EXIT_INTERRUPTED
from bots.ledger import Ledger
from fixtures.recipe_copy import claims_copy
from tests.e2e.runner_support import CLAIMS, ROOT, run_runner, runner_env, start_runner

pytestmark = pytest.mark.browser
VALID = ("claim-01-acme-water.pdf", "claim-02-acme-theft.pdf", "claim-03-northwind-collision.pdf",
         "claim-05-harbor-fire.pdf")


def inbox_of(tmp_path: Path, names: tuple[str, ...]) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in names:
        shutil.copy(CLAIMS / name, inbox)
    return inbox


def ledger_rows(state: Path) -> list[dict[str, Any]]:
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        return [{**row, "events": ledger.events(row["item_id"])} for row in ledger.find_items()]
    finally:
        ledger.close()


def test_a_corrected_item_of_a_recipe_elsewhere_is_keyed_once_from_another_folder(
        app, tmp_path: Path) -> None:
    inbox = inbox_of(tmp_path, ("claim-10-acme-over-limit.pdf",))
    recipe = claims_copy(tmp_path, inbox, "over-limit.yaml")
    recipe.write_text(recipe.read_text("utf-8").replace("recipe: claims-intake",
                                                        "recipe: claims-elsewhere"))
    state, other = tmp_path / "state", tmp_path / "other"
    other.mkdir()
    assert run_runner(app, state, "run", str(recipe)).summary["exceptions"] == {
        "AMOUNT_OVER_LIMIT": 1}
    [row] = ledger_rows(state)
    assert row["code"] == "AMOUNT_OVER_LIMIT" and row["recipe_path"] == str(recipe.resolve())
    retried = subprocess.run(
        [sys.executable, str(ROOT / "runner.py"), "exceptions", "retry", row["item_key"][:10],
         "--set", "claim.amount=4900.00", "--who", "ana"], cwd=other, text=True,
        env=runner_env(app, state), capture_output=True, check=False, timeout=240)
    assert retried.returncode == 0, retried.stderr
    [claim] = app.claims()
    assert claim["amount"] == "4900.00"


def in_flight(state: Path) -> int:
    """How many items the running batch has marked running, read without touching its ledger."""
    path = state / "bots.sqlite"
    if not path.exists():
        return 0
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as db:
        try:
            return int(db.execute("select count(*) from bots_items where status = 'running'")
                       .fetchone()[0])
        except sqlite3.DatabaseError:  # the file or its tables are not made yet
            return 0


def spans(rows: list[dict[str, Any]], since: str) -> list[tuple[float, float]]:
    """Each item's time in flight after `since`: first step's start to last step's end."""
    found = []
    for row in rows:
        steps = [e for e in row["events"] if e["event"] == "step.finished" and e["at"] > since]
        if steps:
            ends = [(datetime.fromisoformat(e["at"]).timestamp(), float(e["data"]["duration_s"]))
                    for e in steps]
            found.append((min(end - took for end, took in ends), max(end for end, _ in ends)))
    return sorted(found)


def test_a_stopped_run_resumes_with_the_edited_recipe_says_so_and_keeps_concurrency_one(
        app, tmp_path: Path) -> None:
    recipe = claims_copy(tmp_path, inbox_of(tmp_path, VALID), concurrency=1)
    state = tmp_path / "state"
    app.set_faults(latency_ms=150)  # slow enough to stop the run with items left
    process = start_runner(app, state, "run", str(recipe))
    deadline = time.monotonic() + 120
    while not (app.claims() and in_flight(state)):  # an item's first write marks it running
        assert process.poll() is None and time.monotonic() < deadline, "nothing was keyed"
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == EXIT_INTERRUPTED, stderr
    started = [row for row in ledger_rows(state) if row["status"] == "running"]
    assert started, "no item was in flight at the stop"
    recipe.write_text(recipe.read_text("utf-8") + "# edited while the run was stopped\n")
    since = datetime.now(UTC).isoformat(timespec="milliseconds")
    final = run_runner(app, state, "run", str(recipe))
    app.set_faults(latency_ms=0)
    assert final.returncode == 0, final.stderr
    refs = Counter(claim["external_ref"] for claim in app.claims())
    assert len(refs) == len(VALID) and set(refs.values()) == {1}
    rows = {row["item_id"]: row for row in ledger_rows(state)}
    for row in started:  # each item in flight at the stop: an event and a terminal line
        [changed] = [e for e in rows[row["item_id"]]["events"]
                     if e["event"] == "item.recipe_changed"]
        assert changed["data"]["path"] == str(recipe.resolve())
        assert f"warning: {row['name']}: recipe claims-intake changed" in final.stderr
    assert final.stderr.count("changed since the item started") == len(started)
    flights = spans(list(rows.values()), since)
    assert len(flights) >= len(VALID) - 1
    for (_, end), (start, _) in zip(flights, flights[1:], strict=False):
        assert start >= end - 0.01, f"two items in flight at once: {flights}"
