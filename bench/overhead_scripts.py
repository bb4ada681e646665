"""What bench/overhead.py runs: its recipe, and the two references it runs beside it.

- ``RECIPE``: one cheap step per item (``data.check_rules``), no browser;
- ``BARE``: a bare Python script doing the same work by hand (read the inbox file, check it,
  record the outcome in SQLite, print one JSON line);
- ``IMPORTS``: what a run of ``RECIPE`` imports before it starts, and nothing else.
"""

from __future__ import annotations

RECIPE = """\
recipe: overhead-bench
description: One cheap step per item, so that a run's wall time is the runner's own.
source: {{folder: {inbox}}}
steps:
  - id: rules
    uses: data.check_rules
    with:
      rules:
        - {{code: EMPTY_NAME, name: File name, value: "${{item.name}}", not_empty: true}}
"""
BARE = """\
import json, pathlib, sqlite3, sys, time
started = time.perf_counter()
inbox, state = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
db = sqlite3.connect(state / "bare.db")
db.execute("create table if not exists done (name text primary key, status text)")
for path in sorted(inbox.iterdir()):
    status = "done" if path.read_bytes() else "EMPTY_FILE"
    db.execute("insert or replace into done values (?, ?)", (path.name, status))
db.commit()
print(json.dumps({"items": len(list(inbox.iterdir())),
                  "duration_s": round(time.perf_counter() - started, 3)}))
"""
IMPORTS = ("import json, time; started = time.perf_counter(); "
           "from bots.deferred_import import defer_postgres_driver; defer_postgres_driver(); "
           "import bots.cli, bots.commands.run; from bots.steps.registry import all_steps; "
           "all_steps()['data.check_rules']; "
           "print(json.dumps({'duration_s': round(time.perf_counter() - started, 3)}))")
