"""The practice app for end-to-end tests, and `runner.py` run against it as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fixtures.practice_app import PracticeApp
from tests.runner_result import RunResult

ROOT = Path(__file__).resolve().parents[2]
CREDENTIALS = {"PRACTICE_USER": "e2e.buyer", "PRACTICE_PASSWORD": "pw-e2e-practice"}


def run_recipe(app: PracticeApp, state: Path, *args: str, timeout: float = 120) -> RunResult:
    """`runner.py <args>` with the app's address and sign-on, on its own state folder."""
    clean = {k: v for k, v in os.environ.items() if k not in ("BOTS_DATABASE_URL", "BOTS_CHAOS")}
    env = {**clean, **CREDENTIALS, "PRACTICE_URL": app.url, "BOTS_STATE_DIR": str(state),
           "BOTS_ISOLATE_NETWORK": "1"}
    done = subprocess.run([sys.executable, "runner.py", *args], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=timeout, check=False)
    return RunResult(done.returncode, done.stdout, done.stderr)
