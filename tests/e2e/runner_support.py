"""End-to-end helpers: the runner as a subprocess, expectations, recipe copies.

A module of its own (not conftest), imported by its full name `tests.e2e.runner_support`, so
that it is one module however many test folders have a conftest.py.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from fixtures.legacy_app import LegacyApp
from fixtures.recipe_copy import claims_copy
from tests.runner_result import RunResult

ROOT = Path(__file__).resolve().parents[2]
CLAIMS = ROOT / "fixtures" / "claims"
USER = "e2e.clerk"
PASSWORD = "pw-" + secrets.token_hex(8)  # searched for in every artifact by the tests






def runner_env(app: LegacyApp, state: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("BOTS_DATABASE_URL", "BOTS_CHAOS")}
    return {**clean, "LEGACY_URL": app.url, "LEGACY_USER": USER,
            "LEGACY_PASSWORD": PASSWORD, "BOTS_STATE_DIR": str(state),
            "BOTS_ISOLATE_NETWORK": "1"}


def start_runner(app: LegacyApp, state: Path, *args: str,
                 extra_env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "runner.py", *args], cwd=ROOT, text=True,
                            env={**runner_env(app, state), **(extra_env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run_runner(app: LegacyApp, state: Path, *args: str, timeout: float = 240,
               extra_env: dict[str, str] | None = None) -> RunResult:
    process = start_runner(app, state, *args, extra_env=extra_env)
    stdout, stderr = process.communicate(timeout=timeout)
    return RunResult(process.returncode, stdout, stderr)


def expectations() -> dict[str, dict[str, Any]]:
    """Each fixture document's expected outcome, by file name."""
    return {path.name.removesuffix(".expected.json"): json.loads(path.read_text())
            for path in sorted(CLAIMS.glob("*.expected.json"))}


def write_recipe(tmp_path: Path, inbox: Path, **settings: Any) -> Path:
    """A copy of claims-intake reading another inbox, with settings overridden."""
    return claims_copy(tmp_path, inbox, **settings)
