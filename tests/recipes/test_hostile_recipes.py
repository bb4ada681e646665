"""Hostile recipe text is refused as a recipe error: exit 2, file:line:col, fast, no traceback.

The golden messages live beside the other broken recipes (tests/recipes/broken/); these tests
add what goldens cannot say: the time taken, the `run` door, and shapes the goldens do not use.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from bots.commands.check import check
from bots.engine.summary import EXIT_RECIPE
from bots.kernel.errors import RecipeError
from bots.recipe.limits import MAX_RECIPE_BYTES
from bots.recipe.source import read_source

ROOT = Path(__file__).resolve().parents[2]
BROKEN = Path("tests/recipes/broken")
HOSTILE = ("alias-bomb", "nul-byte", "deep-nesting", "python-tag")


@pytest.fixture(autouse=True)
def _at_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_recipe_is_refused_in_well_under_a_second(name: str) -> None:
    started = time.perf_counter()
    assert check(str(BROKEN / f"{name}.yaml")) == EXIT_RECIPE
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("command", (["check"], ["run"], []))
def test_run_and_check_exit_2_with_one_located_line(command: list[str], tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "runner.py", *command,
                           str(BROKEN / "alias-bomb.yaml")], capture_output=True, text=True,
                          cwd=ROOT, check=False, timeout=30,
                          env={"PATH": "/usr/bin:/bin", "BOTS_STATE_DIR": str(tmp_path)})
    assert done.returncode == EXIT_RECIPE
    assert "Traceback" not in done.stderr
    assert "alias-bomb.yaml:8:10: aliases expand the recipe" in done.stderr


def _refusal(tmp_path: Path, text: str | bytes) -> str:
    path = tmp_path / "hostile.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(RecipeError) as refused:
        read_source(path)
    return str(refused.value)


def test_block_nesting_without_brackets_is_refused(tmp_path: Path) -> None:
    deep = "recipe: x\nnotes:\n" + "- " * 200 + "leaf\n"
    assert "hostile.yaml:3:" in _refusal(tmp_path, deep)
    assert "nests deeper than 50 levels" in _refusal(tmp_path, deep)


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    assert "is inside the node it names" in _refusal(tmp_path, "recipe: x\nloop: &a [1, *a]\n")


def test_a_local_tag_is_refused(tmp_path: Path) -> None:
    assert "tags such as '!secret'" in _refusal(tmp_path, "recipe: x\npassword: !secret pw\n")


def test_escape_and_delete_characters_are_refused(tmp_path: Path) -> None:
    assert "U+001B" in _refusal(tmp_path, "recipe: x\x1b[2J\n")
    assert "hostile.yaml:2:5: the recipe contains the control character U+007F" in \
        _refusal(tmp_path, "recipe: x\nab: \x7f\n")


def test_oversized_and_non_utf8_files_are_refused(tmp_path: Path) -> None:
    big = "recipe: x\nnotes: " + "a" * MAX_RECIPE_BYTES + "\n"
    assert "larger than" in _refusal(tmp_path, big)
    not_utf8 = _refusal(tmp_path, b"recipe: x\nnotes: \xff\n")
    assert "hostile.yaml:2:8: the recipe is not UTF-8" in not_utf8


def test_anchors_within_the_budget_still_load(tmp_path: Path) -> None:
    path = tmp_path / "anchors.yaml"
    path.write_text("recipe: x\nbase: &base {a: 1, b: [1, 2, 3]}\none: *base\ntwo: *base\n"
                    "merged: {<<: *base, c: 2}\n", encoding="utf-8")
    data = read_source(path).data
    assert data["two"]["b"] == [1, 2, 3] and data["merged"]["c"] == 2
