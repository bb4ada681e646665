"""An item the queue hands over while the run is still starting waits for the run, and runs.

DBOS starts dispatching the recipe's queue as soon as it launches, while the run still looks
for dead workers' items; a killed run leaves items on that queue. Such an item used to find no
run to serve it: its workflow was cancelled, stayed PENDING under the live process, and the run
waited for its end for ever (a CI run's soak hung so, once). Here the look for dead workers is
made slow, so the queue certainly hands over an item first.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RECIPE = """\
recipe: early-dispatch
source: {{folder: {inbox}}}
settings: {{concurrency: 1}}
steps:
  - id: rules
    uses: data.check_rules
    with:
      rules: [{{code: EMPTY_NAME, name: File name, value: "${{item.name}}", not_empty: true}}]
"""
SLOW_RECOVERY = """\
import sys, time
import bots.engine.durable as durable
recover = durable.recover_dead_executors
def slow_recovery(lease):
    time.sleep(2.0)  # the queue's thread polls every few tens of milliseconds meanwhile
    return recover(lease)
durable.recover_dead_executors = slow_recovery
from bots.cli import main
sys.exit(main(["run", *sys.argv[1:]]))
"""


def run(recipe: Path, state: Path, *options: str, chaos: str = "", slow: bool = False
        ) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("BOTS_DATABASE_URL", "BOTS_CHAOS")}
    env |= {"BOTS_STATE_DIR": str(state), "PYTHONPATH": str(ROOT)}
    if chaos:
        env["BOTS_CHAOS"] = chaos
    command = (["-c", SLOW_RECOVERY] if slow else ["runner.py"]) + [str(recipe), *options]
    return subprocess.run([sys.executable, *command], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def test_items_left_on_the_queue_by_a_killed_run_are_served_by_the_next(tmp_path):
    inbox, state = tmp_path / "inbox", tmp_path / "state"
    inbox.mkdir()
    for number in range(1, 6):
        (inbox / f"item-{number}.txt").write_text(str(number), encoding="utf-8")
    recipe = tmp_path / "early-dispatch.yaml"
    recipe.write_text(RECIPE.format(inbox=inbox), encoding="utf-8")
    killed = run(recipe, state, chaos="kill=step.start:1")
    assert killed.returncode == -9, killed.stderr[-2000:]
    with sqlite3.connect(state / "bots.sqlite") as db:
        left = [row[0] for row in db.execute(
            "SELECT status FROM workflow_status WHERE status = 'ENQUEUED'")]
    assert left, "the killed run should leave items on the queue"
    # more at once than the killed run: the queue has room for items beside its pending ones
    finished = run(recipe, state, "--concurrency", "4", slow=True)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert json.loads(finished.stdout.strip().splitlines()[-1])["done"] == 5
    assert "cancelled" not in finished.stderr
