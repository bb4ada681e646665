"""Broken recipes through `python runner.py check` as a subprocess: exit 2, the golden text.

To accept new messages after a deliberate change: BOTS_UPDATE_GOLDEN=1 pytest tests/bad_inputs
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bad_inputs.bad_helpers import CORPUS, ROOT

RECIPES = sorted((CORPUS / "recipes").glob("*.yaml"))


@pytest.fixture(scope="module")
def checked() -> dict[str, subprocess.CompletedProcess[str]]:
    """`check` of every broken recipe, run side by side (each is a fresh interpreter)."""
    running = {path.name: subprocess.Popen(
        [sys.executable, "runner.py", "check", str(path.relative_to(ROOT))], cwd=ROOT,
        text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for path in RECIPES}
    results = {}
    for name, process in running.items():
        stdout, stderr = process.communicate(timeout=60)
        results[name] = subprocess.CompletedProcess(process.args, process.returncode, stdout,
                                                    stderr)
    return results


def test_the_corpus_has_the_recipes_it_documents() -> None:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert len(RECIPES) >= 8
    for path in RECIPES:
        assert f"recipes/{path.name}" in readme
        assert path.with_suffix(".expected.txt").is_file(), path.name


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda path: path.stem)
def test_check_reports_exactly_the_golden_problems(recipe: Path, checked) -> None:
    result = checked[recipe.name]
    golden = recipe.with_suffix(".expected.txt")
    if os.environ.get("BOTS_UPDATE_GOLDEN"):
        golden.write_text(result.stderr, encoding="utf-8")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr == golden.read_text(encoding="utf-8")
