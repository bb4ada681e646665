"""A run ends only after its workflows wrote their ends: none is left PENDING for the next run.

An item tells its outcome before its DBOS workflow returns, and DBOS writes the workflow's end
in a thread afterwards. A run that tore DBOS down meanwhile left the workflow PENDING (about
one run in ten on a loaded machine, with a DBOS warning on stderr), and the next run recovered
it and ran the item's workflow again. Here that write is made slow, so the race is certain.
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
recipe: workflow-ends
source: {{folder: {inbox}}}
steps:
  - id: rules
    uses: data.check_rules
    with:
      rules: [{{code: EMPTY_NAME, name: File name, value: "${{item.name}}", not_empty: true}}]
"""
SLOW_END_WRITE = """\
import sys, time
from dbos._sys_db import SystemDatabase
write = SystemDatabase.update_workflow_outcome
def slow_write(self, *args, **kwargs):
    time.sleep(0.5)  # the thread that writes a workflow's end, on a very busy machine
    return write(self, *args, **kwargs)
SystemDatabase.update_workflow_outcome = slow_write
from bots.cli import main
sys.exit(main(["run", sys.argv[1]]))
"""


def test_every_workflow_of_a_run_has_its_end_written(tmp_path):
    inbox, state = tmp_path / "inbox", tmp_path / "state"
    inbox.mkdir()
    for name in ("one.txt", "two.txt"):
        (inbox / name).write_text(name, encoding="utf-8")
    recipe = tmp_path / "workflow-ends.yaml"
    recipe.write_text(RECIPE.format(inbox=inbox), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "BOTS_DATABASE_URL"}
    ran = subprocess.run([sys.executable, "-c", SLOW_END_WRITE, str(recipe)], cwd=ROOT,
                         env=env | {"BOTS_STATE_DIR": str(state), "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=120, check=False)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert json.loads(ran.stdout.strip().splitlines()[-1])["done"] == 2
    assert "cancelled" not in ran.stderr
    with sqlite3.connect(state / "bots.sqlite") as db:
        statuses = [row[0] for row in db.execute("SELECT status FROM workflow_status")]
    assert statuses == ["SUCCESS", "SUCCESS"]
