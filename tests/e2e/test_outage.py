"""A target down for some seconds is ridden out: every valid claim ends done, keyed once.

Issue 9 found that a legacy system answering 503 to everything for 20 s turned every valid
claim into RETRIES_EXHAUSTED once it was back (here it is down 6 s: several times what
the retries take, 20 s proved no more). With `settings.outage` the items wait for it
(one shared deadline) and key their claims when it answers again; the run's log says how long
the outage lasted and how many items waited. The target stays down DOWN_S from the moment the
first item ran out of retries (not from the runner's start, which a loaded machine delays).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from bots.engine.summary import EXIT_OK
from tests.e2e.runner_support import CLAIMS, expectations, start_runner, write_recipe
from tests.runner_result import RunResult

pytestmark = pytest.mark.browser

DOWN_S = 6  # how long the target answers 503 to every request
RETRY = {"attempts": 2, "initial_s": 0.2, "max_s": 0.5, "jitter_s": 0}  # spent in a second


def valid_claims_inbox(tmp_path: Path) -> tuple[Path, list[str]]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    valid = [name for name, e in expectations().items() if e["outcome"] == "done"]
    for name in valid:
        shutil.copy(CLAIMS / name, inbox)
    return inbox, valid


def outage_events(state: Path) -> list[dict]:
    """The run's `outage.*` events so far, from its JSON log (written as it goes)."""
    lines = [line for log in (state / "logs").glob("*.jsonl")
             for line in log.read_text().splitlines()] if (state / "logs").is_dir() else []
    events = (json.loads(line) for line in lines if '"outage.' in line)
    return [event for event in events if event["event"].startswith("outage.")]


def wait_for_the_outage(process: subprocess.Popen[str], state: Path, limit_s: float) -> None:
    """Until the run's items have run out of retries and wait for the target."""
    deadline = time.monotonic() + limit_s
    while not outage_events(state):
        assert process.poll() is None, "the run ended while the target was down"
        assert time.monotonic() < deadline, "no item waited for the target"
        time.sleep(0.2)


def test_a_target_down_for_seconds_is_ridden_out_and_every_claim_keyed_once(app, tmp_path):
    inbox, valid = valid_claims_inbox(tmp_path)
    recipe = write_recipe(tmp_path, inbox, concurrency=3, retry=RETRY,
                          outage={"wait_s": 40, "probe_s": 0.5})
    state = tmp_path / "state"
    app.set_faults(error_rate=1.0)
    try:
        process = start_runner(app, state, str(recipe))
        wait_for_the_outage(process, state, limit_s=60)
        time.sleep(DOWN_S)  # the items wait: nothing fails meanwhile
        assert process.poll() is None, "the run ended while the target was down"
    finally:
        app.set_faults(error_rate=0.0)
    stdout, stderr = process.communicate(timeout=120)
    result = RunResult(process.returncode, stdout, stderr)

    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    assert result.summary["done"] == len(valid) and result.summary["exceptions"] == {}
    refs = Counter(claim["external_ref"] for claim in app.claims())
    assert len(refs) == len(valid) and set(refs.values()) == {1}

    started, ended = outage_events(state)[:2]
    assert (started["event"], ended["event"], ended["recovered"]) == (
        "outage.started", "outage.ended", True)
    assert DOWN_S <= ended["duration_s"] < DOWN_S + 30 and ended["items"] >= 2
