"""A run killed mid-item, its recipe edited, then resumed: a harmless edit resumes the item with
the new version and says so; steps moved before the ones it finished hold the item as
RECIPE_CHANGED (its checkpoints would be another step's now), and a retry runs it cleanly.

No browser: the recipe is claims-intake's pdf step and its policy lookup in the register.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bots.ledger import Ledger

ROOT = Path(__file__).resolve().parents[2]
NAME = "claims-mid-item"


def write_recipe(path: Path, inbox: Path, *, moved: bool = False, note: str = "") -> None:
    """claims-intake's `claim` and `policy` steps; `moved`: a copy of `claim` put first."""
    yaml = YAML()
    data: Any = yaml.load((ROOT / "recipes" / "claims-intake.yaml").read_text("utf-8"))
    claim, policy = data["steps"][0], data["steps"][1]
    policy["with"]["path"] = str(ROOT / policy["with"]["path"])
    steps = [claim, policy]
    if moved:
        first = copy.deepcopy(claim)
        first["id"] = "first_look"
        steps.insert(0, first)
    recipe = {"recipe": NAME, "source": {"folder": str(inbox), "include": ["*.pdf"]},
              "steps": steps}
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(recipe, handle)
        handle.write(note)


def runner(state: Path, *args: str, chaos: str = "") -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("BOTS_DATABASE_URL", "BOTS_CHAOS")}
    env |= {"BOTS_STATE_DIR": str(state)} | ({"BOTS_CHAOS": chaos} if chaos else {})
    return subprocess.run([sys.executable, str(ROOT / "runner.py"), *args], cwd=state.parent,
                          text=True, capture_output=True, check=False, timeout=180, env=env)


def the_item(state: Path) -> dict[str, Any]:
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        [row] = ledger.find_items(recipe=NAME)
        return {**row, "events": [e["event"] for e in ledger.events(row["item_id"])]}
    finally:
        ledger.close()


@pytest.fixture
def killed(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(recipe, inbox, state): one item, its run killed as its second step starts."""
    inbox, state = tmp_path / "inbox", tmp_path / "state"
    inbox.mkdir()
    shutil.copy(ROOT / "fixtures" / "claims" / "claim-01-acme-water.pdf", inbox)
    recipe = tmp_path / "mid-item.yaml"
    write_recipe(recipe, inbox)
    first = runner(state, "run", str(recipe), chaos="kill=step.start:2")
    assert first.returncode == -9, first.stderr
    item = the_item(state)
    assert item["status"] == "running" and list(item["values"]) == ["claim"]
    return recipe, inbox, state


def test_a_harmless_edit_resumes_the_item_with_the_new_version_and_says_so(killed) -> None:
    recipe, inbox, state = killed
    write_recipe(recipe, inbox, note="# the register moved: nothing else\n")
    resumed = runner(state, "run", str(recipe))
    assert resumed.returncode == 0, resumed.stderr
    item = the_item(state)
    assert item["status"] == "done" and "item.recipe_changed" in item["events"]
    assert "claim-01-acme-water.pdf: recipe claims-mid-item changed" in resumed.stderr
    assert "steps done before keep their outputs (claim)" in resumed.stderr


def test_steps_moved_before_the_finished_ones_hold_the_item_for_a_person(killed) -> None:
    recipe, inbox, state = killed
    write_recipe(recipe, inbox, moved=True)
    resumed = runner(state, "run", str(recipe))
    assert "Traceback" not in resumed.stderr, resumed.stderr
    item = the_item(state)
    assert (item["status"], item["code"], item["step"]) == ("exception", "RECIPE_CHANGED",
                                                            "first_look")
    assert "first_look" in item["message"] and "claim" in item["message"]
    retried = runner(state, "exceptions", "retry", item["item_key"][:10])
    assert retried.returncode == 0, retried.stderr
    done = the_item(state)
    assert done["status"] == "done"
    assert set(done["values"]) == {"first_look", "claim", "policy"}
    assert done["values"]["policy"]  # read from the register by the claim's policy number
