"""A recipe run from a file outside recipes/ is remembered by the ledger: `exceptions retry ID`
and `--all`, from any folder, run each item with the file it was queued from; a file moved away
is one clear message naming where it was looked for.

No browser: the recipe is claims-intake's `claim` step alone, so the items end in the pdf step.
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
CLAIMS = ROOT / "fixtures" / "claims"
NAME = "claims-anywhere"
FILES = ("claim-01-acme-water.pdf", "claim-18-bluebird.pdf", "claim-12-corrupt.pdf")


def write_recipe(path: Path, inbox: Path, *, bluebird: bool) -> None:
    """The claims recipe's pdf step at `path`; with `bluebird`, a layout for that form too."""
    yaml = YAML()
    data: Any = yaml.load((ROOT / "recipes" / "claims-intake.yaml").read_text("utf-8"))
    claim = data["steps"][0]
    if bluebird:
        layout = copy.deepcopy(claim["with"]["layouts"][0])
        layout["name"], layout["when"] = "bluebird", ["Bluebird General", "BG-2"]
        claim["with"]["layouts"].append(layout)
    recipe = {"recipe": NAME, "source": {"folder": str(inbox), "include": ["*.pdf"]},
              "steps": [claim]}
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(recipe, handle)


def runner(cwd: Path, state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("BOTS_DATABASE_URL", "BOTS_CHAOS")}
    return subprocess.run([sys.executable, str(ROOT / "runner.py"), *args], cwd=cwd, text=True,
                          capture_output=True, check=False, timeout=180,
                          env={**env, "BOTS_STATE_DIR": str(state)})


def items(state: Path) -> dict[str, dict[str, Any]]:
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        return {row["name"]: {**row, "audit": ledger.audit_trail(row["item_id"])}
                for row in ledger.find_items(recipe=NAME)}
    finally:
        ledger.close()


@pytest.fixture
def batch(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(recipe file, state folder, a folder with no recipes/): run once from the first cwd."""
    inbox, elsewhere, cwd = tmp_path / "inbox", tmp_path / "my bots", tmp_path / "first"
    for folder in (inbox, elsewhere, cwd, tmp_path / "other"):
        folder.mkdir()
    for name in FILES:
        shutil.copy(CLAIMS / name, inbox)
    recipe, state = elsewhere / "my-claims.yaml", tmp_path / "state"
    write_recipe(recipe, inbox, bluebird=False)
    first = runner(cwd, state, "run", str(recipe))
    assert "Traceback" not in first.stderr, first.stderr
    rows = items(state)
    assert {name: row["code"] for name, row in rows.items() if row["status"] == "exception"} \
        == {"claim-18-bluebird.pdf": "UNKNOWN_LAYOUT", "claim-12-corrupt.pdf": "CORRUPT_PDF"}
    assert {row["recipe_path"] for row in rows.values()} == {str(recipe.resolve())}
    assert all(len(row["recipe_digest"]) >= 16 for row in rows.values())
    write_recipe(recipe, inbox, bluebird=True)  # the rule change, in the file the run used
    return recipe, state, tmp_path / "other"


def test_retry_one_item_from_another_folder_runs_the_recorded_file(batch) -> None:
    recipe, state, other = batch
    bluebird = items(state)["claim-18-bluebird.pdf"]
    retried = runner(other, state, "exceptions", "retry", bluebird["item_key"][:10],
                     "--who", "rita")
    assert retried.returncode == 0, retried.stderr
    after = items(state)["claim-18-bluebird.pdf"]
    assert after["status"] == "done"
    assert after["values"]["claim"]["policy_number"] == "POL-100234"  # the new layout read it
    assert [(entry["action"], entry["who"]) for entry in after["audit"]] == [("retry", "rita")]
    assert after["recipe_digest"] != bluebird["recipe_digest"]  # the version it ran with


def test_retry_all_from_another_folder_and_by_the_recipe_file(batch) -> None:
    recipe, state, other = batch
    retried = runner(other, state, "exceptions", "retry", "--all", "--recipe", str(recipe))
    assert retried.returncode == 1, retried.stderr  # the corrupt file is still an exception
    assert "retried 2: 1 done, 1 still exceptions, 0 refused" in retried.stdout
    rows = items(state)
    assert rows["claim-18-bluebird.pdf"]["status"] == "done"
    assert [e["action"] for e in rows["claim-12-corrupt.pdf"]["audit"]] == ["retry"]
    assert rows["claim-01-acme-water.pdf"]["audit"] == []  # done in the run: never retried


def test_a_recipe_file_moved_away_is_named_and_nothing_is_retried(batch) -> None:
    recipe, state, other = batch
    recipe.rename(recipe.with_name("moved.yaml"))
    bluebird = items(state)["claim-18-bluebird.pdf"]
    one = runner(other, state, "exceptions", "retry", bluebird["item_key"][:10])
    every = runner(other, state, "exceptions", "retry", "--all")
    for result in (one, every):
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert f"recipe {NAME} of item" in result.stderr
        assert str(recipe.resolve()) in result.stderr  # where it was queued from
        assert "put the recipe file back" in result.stderr
    assert "None of its items was retried" in every.stderr
    assert all(row["audit"] == [] for row in items(state).values())


def test_the_review_pages_resubmit_finds_the_recorded_file_or_says_where_it_looked(
        batch) -> None:
    from bots.review.retry import retry_command, retry_env, run_retry

    recipe, state, _ = batch
    url = f"sqlite:///{state / 'bots.sqlite'}"
    rows = items(state)
    env = {k: v for k, v in retry_env(state, url).items() if k != "BOTS_CHAOS"}
    done = run_retry(retry_command(rows["claim-18-bluebird.pdf"]["item_id"], [], "rita"),
                     ROOT, env)
    assert not isinstance(done, str) and done.is_done, done
    recipe.unlink()
    refused = run_retry(retry_command(rows["claim-12-corrupt.pdf"]["item_id"], [], "rita"),
                        ROOT, env)
    assert isinstance(refused, str) and str(recipe.resolve()) in refused, refused
    assert items(state)["claim-12-corrupt.pdf"]["audit"] == []
