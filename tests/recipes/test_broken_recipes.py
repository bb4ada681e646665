"""Golden error messages: each broken recipe gives exactly the problems in its .expected.txt.

To accept new messages after a deliberate change: BOTS_UPDATE_GOLDEN=1 pytest tests/recipes
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bots.commands.check import check
from bots.engine.summary import EXIT_OK, EXIT_RECIPE

BROKEN = Path(__file__).parent / "broken"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _at_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("recipe", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_broken_recipe_reports_every_problem(recipe: Path, capsys: pytest.CaptureFixture[str]):
    relative = recipe.relative_to(ROOT)
    assert check(str(relative)) == EXIT_RECIPE
    reported = capsys.readouterr().err
    golden = recipe.with_suffix(".expected.txt")
    if os.environ.get("BOTS_UPDATE_GOLDEN"):
        golden.write_text(reported, encoding="utf-8")
    assert reported == golden.read_text(encoding="utf-8")


def test_bundled_recipes_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    for recipe in sorted((ROOT / "recipes").glob("*.yaml")):
        assert check(str(recipe.relative_to(ROOT)), offline=True) == EXIT_OK, \
            capsys.readouterr().err  # online too: tests/recipes/test_check_everything.py


def test_check_by_name_and_unknown_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert check("claims-intake", offline=True) == EXIT_OK
    assert check("claims-intak", offline=True) == EXIT_RECIPE
    assert "did you mean 'claims-intake'?" in capsys.readouterr().err


def test_check_runs_as_a_command() -> None:
    import subprocess
    import sys

    bad = subprocess.run([sys.executable, "runner.py", "check",
                          "tests/recipes/broken/unknown-step-type.yaml"],
                         capture_output=True, text=True, cwd=ROOT, check=False)
    assert bad.returncode == EXIT_RECIPE
    assert "unknown-step-type.yaml:5:11: unknown step type 'pdf.extract_field'" in bad.stderr
    assert "Traceback" not in bad.stderr
