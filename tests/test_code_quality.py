"""Lint and type checks as tests.

CI runs the README's test command (`python3 runner.py setup && .venv/bin/python -m pytest -q`),
nothing else, so ruff and mypy are run from here: a lint error or a type error fails that command
and CI. Both tools read their settings from pyproject.toml; plain `mypy` checks bots (strict),
tests, bench, fixtures and runner.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the venv's ruff and mypy (`runner.py setup` installs [dev])


def run_tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    executable = BIN / name
    if not executable.exists():
        pytest.fail(f"{executable} is missing: `python3 runner.py setup` installs it")
    return subprocess.run([str(executable), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)


def test_ruff_finds_nothing() -> None:
    result = run_tool("ruff", "check", ".")
    assert result.returncode == 0, f"ruff check . failed:\n{result.stdout}{result.stderr}"


def test_mypy_finds_nothing() -> None:
    result = run_tool("mypy")
    assert result.returncode == 0, f"mypy failed:\n{result.stdout}{result.stderr}"
