"""The command line as people and schedulers meet it: exit codes and messages, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bots.commands.run import run_lock
from bots.engine.summary import EXIT_LOCKED, EXIT_OK, EXIT_RECIPE

ROOT = Path(__file__).resolve().parents[1]


def runner(*args: str, state: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LEGACY_")}
    return subprocess.run([sys.executable, "runner.py", *args], cwd=ROOT, text=True,
                          capture_output=True, env={**clean, "BOTS_STATE_DIR": str(state), **env},
                          check=False, timeout=60)


def test_missing_environment_is_named_before_anything_runs(tmp_path):
    result = runner("claims-intake", state=tmp_path)
    assert result.returncode == EXIT_RECIPE
    assert "LEGACY_PASSWORD, LEGACY_URL, LEGACY_USER" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_unknown_recipe_suggests_the_closest(tmp_path):
    result = runner("claim-intake", state=tmp_path)
    assert result.returncode == EXIT_RECIPE
    assert "did you mean 'claims-intake'?" in result.stderr


def test_a_second_run_of_the_same_recipe_does_not_start(tmp_path):
    with run_lock(tmp_path.resolve(), "claims-intake"):
        result = runner("claims-intake", state=tmp_path, LEGACY_URL="http://127.0.0.1:9",
                        LEGACY_USER="u", LEGACY_PASSWORD="p-secret")
    assert result.returncode == EXIT_LOCKED
    assert "another run of 'claims-intake' is in progress" in result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])  # a scheduler still gets one
    assert summary["exit_code"] == EXIT_LOCKED and "in progress" in summary["reason"]


def test_steps_reference(tmp_path):
    listing = runner("steps", state=tmp_path)
    assert listing.returncode == EXIT_OK
    for name in ("pdf.extract_fields", "sheet.lookup_row", "web.fill_form", "data.check_rules"):
        assert name in listing.stdout
    one = runner("steps", "web.fill_form", state=tmp_path)
    assert "| `pages` |" in one.stdout and "```yaml" in one.stdout


def test_empty_exception_queue(tmp_path):
    result = runner("exceptions", state=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (EXIT_OK, "The exception queue is empty.")
    assert runner("exceptions", "show", "nothing", state=tmp_path).returncode == 2


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`runner.py steps X | head -1` once head has gone: no BrokenPipeError traceback, exit 0."""
    reader, writer = os.pipe()
    os.close(reader)  # the reader left before the first write: every write is a broken pipe
    try:
        result = subprocess.run([sys.executable, "runner.py", "steps", "web.fill_form"],
                                cwd=ROOT, stdout=writer, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "BOTS_STATE_DIR": str(tmp_path)},
                                timeout=60, check=False)
    finally:
        os.close(writer)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "BrokenPipeError" not in result.stderr
