"""Correct-and-resubmit from the review page: `runner.py exceptions retry` in a subprocess.

A retry needs the browser, DBOS and the legacy system; the page process hosts none of them. It
runs the same command an analyst would type, from the project root, against the same state the
page shows, and reads the outcome from its JSON line.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bots.kernel import Outcome

RETRY_TIMEOUT_S = 600
FIELD_NAME = re.compile(r"^[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*$")


class BadCorrection(ValueError):
    """A correction the form sent that cannot be passed on (a malformed step.field name)."""


def retry_command(item_id: str, changes: list[str], who: str) -> list[str]:
    """The command line of the retry, as an analyst would type it."""
    sets = [arg for change in changes for arg in ("--set", change)]
    return [sys.executable, "runner.py", "exceptions", "retry", item_id, *sets,
            "--who", who, "--json"]


def run_retry(command: list[str], root: Path, env: Mapping[str, str]) -> Outcome | str:
    """Run the retry; its outcome, or why it was refused."""
    try:
        done = subprocess.run(command, cwd=root, env=dict(env), capture_output=True, text=True,
                              timeout=RETRY_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return (f"the retry took over {RETRY_TIMEOUT_S} s and was stopped; see the state "
                "folder's logs")
    return outcome_of(done.stdout, done.stderr, done.returncode)


def outcome_of(stdout: str, stderr: str, returncode: int) -> Outcome | str:
    """A finished retry's outcome from its JSON line, or why it was refused."""
    outcome = _last_json(stdout)
    if outcome is not None:
        return Outcome.from_data(outcome)
    return _reason(stderr, returncode)


def retry_env(state_dir: Path, database_url: str) -> dict[str, str]:
    """The page's environment, pointed at the same state folder and database as the page."""
    return {**os.environ, "BOTS_STATE_DIR": str(state_dir), "BOTS_DATABASE_URL": database_url}


def _last_json(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.strip().splitlines()):
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    return None


def _reason(stderr: str, code: int) -> str:
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    errors = [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]
    if errors:
        return errors[-1]
    return (lines[-1] if lines else "no output") + f" (exit code {code})"
