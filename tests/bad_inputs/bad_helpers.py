"""Helpers of the bad-input tests: the corpus, the runner as a subprocess, ledger scans.

Copied in spirit from tests/e2e/conftest.py (not imported across test folders): a recipe copy
reading another inbox, the runner run as a subprocess with the fixture app's address.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

from tests.runner_result import RunResult

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fixtures" / "bad_inputs"
USER = "bad.inputs.clerk"
PASSWORD = "pw-" + secrets.token_hex(8)
ESCAPED_INVISIBLE = re.compile(r"\\u(00[01][0-9a-f]|007f|200[b-f]|202[a-e]|2066|feff)", re.I)




def expected(folder: str) -> dict[str, dict[str, Any]]:
    """Each corpus file's expected outcome, by file name."""
    return {path.name.removesuffix(".expected.json"): json.loads(path.read_text())
            for path in sorted((CORPUS / folder).glob("*.expected.json"))}


def run_runner(env: dict[str, str], *args: str, timeout: float = 120) -> RunResult:
    """Run `python runner.py ARGS` at the project root and wait for it."""
    done = subprocess.run([sys.executable, "runner.py", *args], cwd=ROOT, text=True, env=env,
                          capture_output=True, timeout=timeout, check=False)
    return RunResult(done.returncode, done.stdout, done.stderr)


def runner_env(url: str, password: str, state: Path) -> dict[str, str]:
    """The environment of a runner talking to the fixture app, its state in `state`."""
    return {**os.environ, "LEGACY_URL": url, "LEGACY_USER": USER, "LEGACY_PASSWORD": password,
            "BOTS_STATE_DIR": str(state), "BOTS_ISOLATE_NETWORK": "1"}


def invisible_characters(database: Path) -> list[tuple[str, str]]:
    """(table, text) of every stored text holding a control or invisible format character,
    raw or JSON-escaped (newline, tab and carriage return aside)."""
    found = []
    with sqlite3.connect(database) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                found += [(table, value) for value in row
                          if isinstance(value, str) and has_invisible(value)]
    return found


def has_invisible(text: str) -> bool:
    """Whether text holds a control/format character or its JSON escape."""
    raw = any(unicodedata.category(char) in ("Cc", "Cf") and char not in "\n\t\r"
              for char in text)
    return raw or ESCAPED_INVISIBLE.search(text) is not None
