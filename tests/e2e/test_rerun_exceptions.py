"""Rerun after a rule change: `exceptions retry --all --recipe R --code CODE` retries the open
exceptions that match, each through the path of `retry ID` (audited, never a done item again),
with the same state folder; the ledger's outcomes change for the items the new rule reads.

No browser: the recipe is claims-intake's `claim` step alone, so the items end in the pdf step.
"""

from __future__ import annotations

import copy
import json
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
NAME = "rerun-claims"
FILES = ("claim-01-acme-water.pdf", "claim-11-acme-no-policy.pdf", "claim-18-bluebird.pdf",
         "claim-12-corrupt.pdf")


def write_recipe(folder: Path, inbox: Path, *, bluebird: bool) -> None:
    """recipes/rerun-claims.yaml in `folder`: the claims recipe's pdf step only; with
    `bluebird`, the rule change: a layout for Bluebird General's form (acme's fields)."""
    yaml = YAML()
    data: Any = yaml.load((ROOT / "recipes" / "claims-intake.yaml").read_text("utf-8"))
    claim = data["steps"][0]
    assert claim["uses"] == "pdf.extract_fields"
    if bluebird:
        layout = copy.deepcopy(claim["with"]["layouts"][0])
        layout["name"], layout["when"] = "bluebird", ["Bluebird General", "BG-2"]
        claim["with"]["layouts"].append(layout)
    recipe = {"recipe": NAME, "source": {"folder": str(inbox), "include": ["*.pdf"]},
              "settings": {"concurrency": 2}, "steps": [claim]}
    (folder / "recipes").mkdir(exist_ok=True)
    with (folder / "recipes" / f"{NAME}.yaml").open("w", encoding="utf-8") as handle:
        yaml.dump(recipe, handle)


def runner(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """runner.py with the working folder `folder` (its recipes/ and state/), as a person would."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("BOTS_DATABASE_URL", "BOTS_CHAOS")}
    return subprocess.run([sys.executable, str(ROOT / "runner.py"), *args], cwd=folder,
                          text=True, capture_output=True, check=False, timeout=180,
                          env={**env, "BOTS_STATE_DIR": str(folder / "state")})


def items(folder: Path) -> dict[str, dict[str, Any]]:
    """Every item of the ledger by file name, with its audit trail (read in this process)."""
    ledger = Ledger(f"sqlite:///{folder / 'state' / 'bots.sqlite'}")
    try:
        return {row["name"]: {**row, "audit": ledger.audit_trail(row["item_id"])}
                for row in ledger.find_items(recipe=NAME)}
    finally:
        ledger.close()


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in FILES:
        shutil.copy(CLAIMS / name, inbox)
    write_recipe(tmp_path, inbox, bluebird=False)
    first = runner(tmp_path, NAME)
    assert "Traceback" not in first.stderr, first.stderr
    queue = {name: row["code"] for name, row in items(tmp_path).items()
             if row["status"] == "exception" and row["review_state"] == "open"}
    assert items(tmp_path)["claim-01-acme-water.pdf"]["status"] == "done"
    assert queue == {"claim-11-acme-no-policy.pdf": "POLICY_MISSING",
                     "claim-18-bluebird.pdf": "UNKNOWN_LAYOUT",
                     "claim-12-corrupt.pdf": "CORRUPT_PDF"}
    write_recipe(tmp_path, inbox, bluebird=True)  # the rule change
    return tmp_path


def test_retry_all_by_code_reads_the_fixed_layout_and_leaves_the_rest(batch: Path) -> None:
    before = items(batch)
    retried = runner(batch, "exceptions", "retry", "--all", "--recipe", NAME,
                     "--code", "UNKNOWN_LAYOUT", "--who", "rita")
    assert retried.returncode == 0, retried.stderr
    assert "claim-18-bluebird.pdf  (was UNKNOWN_LAYOUT): done" in retried.stdout
    assert "retried 1: 1 done, 0 still exceptions, 0 refused" in retried.stdout
    after = items(batch)
    bluebird = after["claim-18-bluebird.pdf"]
    assert bluebird["status"] == "done" and bluebird["values"]["claim"][
        "policy_number"] == "POL-100234"
    assert [(e["action"], e["who"]) for e in bluebird["audit"]] == [("retry", "rita")]
    for name in ("claim-11-acme-no-policy.pdf", "claim-12-corrupt.pdf"):  # other codes: as-is
        assert after[name]["status"] == "exception" and after[name]["audit"] == []
        assert after[name]["updated_at"] == before[name]["updated_at"]
    again = runner(batch, "exceptions", "retry", "--all", "--code", "UNKNOWN_LAYOUT")
    assert again.returncode == 0 and "nothing retried" in again.stdout
    assert items(batch)["claim-18-bluebird.pdf"]["audit"] == bluebird["audit"]  # never again


def test_retry_all_of_a_recipe_reports_each_item_and_a_total(batch: Path) -> None:
    listed = runner(batch, "exceptions", "list", "--code", "UNKNOWN_LAYOUT", "CORRUPT_PDF",
                    "--json")
    assert sorted(item["name"] for item in json.loads(listed.stdout)) == [
        "claim-12-corrupt.pdf", "claim-18-bluebird.pdf"]
    elsewhere = batch / "my-copy.yaml"  # the same recipe name, but not the file a retry runs
    shutil.copy(batch / "recipes" / f"{NAME}.yaml", elsewhere)
    refused = runner(batch, "exceptions", "retry", "--all", "--recipe", str(elsewhere))
    assert refused.returncode == 2, refused.stderr
    assert f"a retry runs {batch / 'recipes' / NAME}.yaml" in refused.stderr  # as recorded
    assert all(row["audit"] == [] for row in items(batch).values())  # nothing was retried
    retried = runner(batch, "exceptions", "retry", "--all", "--recipe",
                     f"recipes/{NAME}.yaml", "--json")
    assert retried.returncode == 1, retried.stderr  # two are still exceptions
    report = json.loads(retried.stdout)
    assert (report["total"], report["done"], report["exception"]) == (3, 1, 2)
    codes = {item["name"]: (item["was"], item["status"], item["code"])
             for item in report["items"]}
    assert codes == {"claim-18-bluebird.pdf": ("UNKNOWN_LAYOUT", "done", None),
                     "claim-11-acme-no-policy.pdf": ("POLICY_MISSING", "exception",
                                                     "POLICY_MISSING"),
                     "claim-12-corrupt.pdf": ("CORRUPT_PDF", "exception", "CORRUPT_PDF")}
    assert "claim-01-acme-water.pdf" not in codes  # done in the first run: never retried
    assert items(batch)["claim-01-acme-water.pdf"]["audit"] == []
    trail = items(batch)["claim-12-corrupt.pdf"]["audit"]
    assert [entry["action"] for entry in trail] == ["retry"]  # audited like `retry ID`


def test_retry_all_refuses_an_id_or_corrections_and_says_when_nothing_matches(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bots.cli import main

    monkeypatch.setenv("BOTS_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("BOTS_DATABASE_URL", raising=False)
    assert main(["exceptions", "retry", "abc123", "--all"]) == 2
    assert main(["exceptions", "retry", "--all", "--set", "claim.amount=1"]) == 2
    assert main(["exceptions", "retry", "--code", "FIELD_MISSING"]) == 2  # --all is asked for
    assert capsys.readouterr().out.count("usage: python runner.py exceptions retry --all") == 3
    assert main(["exceptions", "retry", "--all", "--code", "FIELD_MISSING"]) == 0
    assert "No open exception matches (recipe any, code FIELD_MISSING)" in capsys.readouterr().out


def test_a_recipe_that_cannot_start_stops_the_retry_once(batch: Path) -> None:
    yaml = YAML()
    shipped = yaml.load((ROOT / "recipes" / "claims-intake.yaml").read_text("utf-8"))
    path = batch / "recipes" / f"{NAME}.yaml"
    recipe = yaml.load(path.read_text("utf-8"))
    recipe["web"] = shipped["web"]  # now needs LEGACY_URL, LEGACY_USER, LEGACY_PASSWORD
    recipe["steps"].append(shipped["steps"][2])  # the inquiry on the legacy screen
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(recipe, handle)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("LEGACY_", "BOTS_DATABASE_URL", "BOTS_CHAOS"))}
    retried = subprocess.run([sys.executable, str(ROOT / "runner.py"), "exceptions", "retry",
                              "--all", "--recipe", NAME], cwd=batch, text=True,
                             capture_output=True, check=False, timeout=180,
                             env={**env, "BOTS_STATE_DIR": str(batch / "state")})
    assert retried.returncode == 2
    assert retried.stderr.count("needs environment variables that are not set") == 1
    assert "The items left were not retried" in retried.stderr
    assert all(row["audit"] == [] for row in items(batch).values())
