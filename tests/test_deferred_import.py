"""What DBOS imports and a run may never use is imported only if something really uses it.

DBOS imports psycopg, PyYAML and click at its own import; bots.deferred_import puts stand-ins
in their place that import the real module on the first attribute read, so isinstance checks
against psycopg's error classes still see the real classes, and a PostgreSQL run imports the
driver as before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bots import deferred_import

ROOT = Path(__file__).resolve().parents[1]
PROBE = """\
import json, sys
from bots.deferred_import import Deferred, defer_postgres_driver, defer_unused_libraries
deferred = defer_postgres_driver()
defer_unused_libraries()
import dbos
before = isinstance(sys.modules.get("psycopg"), Deferred)
others = [isinstance(sys.modules.get(name), Deferred) for name in ("yaml", "click")]
import yaml
loaded = yaml.safe_load("a: [1]")
import yaml.constructor
import click
echo = click.echo is sys.modules["click"].echo
others_now = [type(sys.modules[name]).__name__ for name in ("yaml", "click")]
from psycopg import errors as pg_errors
still = isinstance(sys.modules.get("psycopg"), Deferred)
lock_error = pg_errors.LockNotAvailable
import psycopg
print(json.dumps({"deferred": deferred, "before": before, "still": still, "others": others,
                  "loaded": loaded, "others_now": others_now,
                  "echo": echo,
                  "real": type(sys.modules["psycopg"]).__name__,
                  "same_class": lock_error is sys.modules["psycopg.errors"].LockNotAvailable,
                  "subclass": issubclass(lock_error, psycopg.OperationalError)}))
"""


def probe(**env: str) -> dict[str, object]:
    environment = {key: value for key, value in os.environ.items() if key != "BOTS_DATABASE_URL"}
    ran = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True,
                         env=environment | {"PYTHONPATH": str(ROOT)} | env, timeout=120,
                         check=True)
    result: dict[str, object] = json.loads(ran.stdout.strip().splitlines()[-1])
    return result


def test_dbos_imports_without_the_driver_until_an_error_class_is_read():
    result = probe()
    assert result == {"deferred": True, "before": True, "still": True, "real": "module",
                      "same_class": True, "subclass": True, "others": [True, True],
                      "loaded": {"a": [1]}, "others_now": ["module", "module"], "echo": True}


def test_a_postgresql_database_keeps_the_driver_as_it_is():
    result = probe(BOTS_DATABASE_URL="postgresql://root@127.0.0.1:5432/none")
    assert result["deferred"] is False and result["before"] is False
    assert result["same_class"] is True


@pytest.mark.parametrize(("variable", "dotenv", "defers"), [
    (None, None, True),
    ("sqlite:////tmp/state.sqlite", None, True),
    ("postgresql://db/bots", None, False),
    (None, "BOTS_DATABASE_URL=postgresql://db/bots\n", False),
    (None, "LEGACY_URL=http://legacy\n", True),
])
def test_the_driver_is_deferred_only_when_the_database_is_not_postgresql(
        tmp_path, monkeypatch, variable, dotenv, defers):
    monkeypatch.delenv("BOTS_DATABASE_URL", raising=False)
    if variable:
        monkeypatch.setenv("BOTS_DATABASE_URL", variable)
    if dotenv:
        (tmp_path / ".env").write_text(dotenv, encoding="utf-8")
    deferred: list[str] = []
    monkeypatch.setattr(deferred_import, "defer", lambda name, subs=(): deferred.append(name))
    assert deferred_import.defer_postgres_driver(tmp_path) is defers
    assert deferred == (["psycopg"] if defers else [])
