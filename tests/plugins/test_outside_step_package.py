"""A step package outside bots/, installed, then listed, checked and run like a built-in one.

The package (tests/plugins/tally_package) declares a step type and the resource it needs in
the `bots.steps` entry-point group; it is built and installed into a folder of its own, which
the runner sees on PYTHONPATH. It also names a module that does not exist: that entry point is
reported, and the others still work.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bots.ledger import Ledger

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(__file__).resolve().parent / "tally_package"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package, built and installed into a folder of its own."""
    work = tmp_path_factory.mktemp("tally")
    source, target = work / "source", work / "site"
    shutil.copytree(PACKAGE, source)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--no-index", "--target", str(target), str(source)],
                   check=True, timeout=180)
    assert list(target.glob("tally_steps-*.dist-info/entry_points.txt"))
    return target


def runner(site: Path, state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "BOTS_STATE_DIR": str(state)}
    env.pop("BOTS_DATABASE_URL", None)
    return subprocess.run([sys.executable, "runner.py", *args], cwd=ROOT, env=env, text=True,
                          capture_output=True, check=False, timeout=180)


def recipe(folder: Path, inbox: Path, notebook: Path, **params: object) -> Path:
    path = folder / "tally.yaml"
    path.write_text(
        "recipe: tally\n"
        f"source: {{folder: {inbox}}}\n"
        f"notebook: {{path: {notebook}}}\n"
        "steps:\n"
        "  - id: tally\n"
        "    uses: tally.count_words\n"
        f"    with: {json.dumps({'path': '${item.path}', **params})}\n", encoding="utf-8")
    return path


def test_steps_lists_the_outside_step_type_and_reports_the_broken_entry(site, tmp_path):
    listed = runner(site, tmp_path / "state", "steps")
    assert listed.returncode == 0, listed.stderr
    assert "tally.count_words" in listed.stdout and "web.fill_form" in listed.stdout
    assert "entry point 'broken' (tally_steps.missing) failed to load" in listed.stderr
    shown = runner(site, tmp_path / "state", "steps", "tally.count_words")
    assert "`at_least`" in shown.stdout and "Needs: `notebook:`" in shown.stdout


def test_check_validates_the_outside_step_parameters(site, tmp_path):
    wrong = recipe(tmp_path, tmp_path, tmp_path / "notes.txt", at_leest=3)
    checked = runner(site, tmp_path / "state", "check", str(wrong))
    assert checked.returncode == 2
    assert "unknown key 'at_leest'" in checked.stderr and "did you mean 'at_least'" in \
        checked.stderr
    without = wrong.read_text().replace(f"notebook: {{path: {tmp_path / 'notes.txt'}}}\n", "")
    wrong.write_text(without)
    checked = runner(site, tmp_path / "state", "check", str(wrong))
    assert "needs a 'notebook:' section" in checked.stderr


def test_a_recipe_runs_the_outside_step_with_its_own_resource(site, tmp_path):
    inbox, notes, state = tmp_path / "inbox", tmp_path / "notes.txt", tmp_path / "state"
    inbox.mkdir()
    (inbox / "long.txt").write_text("one two three four five")
    (inbox / "short.txt").write_text("one")
    ran = runner(site, state, str(recipe(tmp_path, inbox, notes, at_least=3)))
    assert ran.returncode == 0, ran.stderr
    summary = json.loads(ran.stdout.strip().splitlines()[-1])
    assert summary["done"] == 1 and summary["exceptions"] == {"TOO_FEW_WORDS": 1}
    assert notes.read_text() == "long.txt: 5\n"  # the batch's notebook, released once
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        items = {row["name"]: row for row in ledger.find_items()}
    finally:
        ledger.close()
    assert items["long.txt"]["values"] == {"tally": {"words": 5}}
    assert items["short.txt"]["code"] == "TOO_FEW_WORDS"
