"""An analyst's actions from the command line, end to end: retry with a correction, resolve,
reject; each leaves its audit entry, and a corrected claim is keyed exactly once."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.runner_support import CLAIMS, ROOT, run_runner, runner_env, write_recipe

pytestmark = pytest.mark.browser


def cli(app, state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "runner.py", *args], cwd=ROOT, text=True,
                          env=runner_env(app, state), capture_output=True, check=False,
                          timeout=180)


def queue(app, state: Path) -> dict[str, dict]:
    listed = json.loads(cli(app, state, "exceptions", "--json").stdout)
    return {item["name"]: item for item in listed}


@pytest.fixture(scope="module")
def exceptions_left(legacy_app, tmp_path_factory) -> Path:
    """The state of one real run that left three exceptions (made once per module)."""
    folder = tmp_path_factory.mktemp("exceptions-left")
    inbox = folder / "inbox"
    inbox.mkdir()
    for name in ("claim-10-acme-over-limit.pdf", "claim-08-northwind-unknown-policy.pdf",
                 "claim-11-acme-no-policy.pdf"):
        shutil.copy(CLAIMS / name, inbox)
    recipe = write_recipe(folder, inbox)
    legacy_app.reset()
    state = folder / "state"
    assert run_runner(legacy_app, state, str(recipe)).summary["done"] == 0
    return state


@pytest.fixture
def batch(app, exceptions_left: Path, tmp_path: Path) -> Path:
    """A copy of that state for one test: each test's actions start from the same queue."""
    state = tmp_path / "state"
    shutil.copytree(exceptions_left, state)
    return state


def test_correct_and_resubmit_keys_the_claim_once(app, batch):
    item = queue(app, batch)["claim-10-acme-over-limit.pdf"]
    assert item["code"] == "AMOUNT_OVER_LIMIT"
    retried = cli(app, batch, "exceptions", "retry", item["id"], "--set", "claim.amount=4900.00",
                  "--who", "ana", "--json")
    assert retried.returncode == 0, retried.stderr
    assert json.loads(retried.stdout)["status"] == "done"
    [claim] = app.claims()
    assert claim["amount"] == "4900.00" and claim["policy_number"] == "POL-104026"
    assert "claim-10-acme-over-limit.pdf" not in queue(app, batch)
    shown = json.loads(cli(app, batch, "exceptions", "show", item["id"], "--json").stdout)
    [audit] = [entry for entry in shown["audit"] if entry["action"] == "retry"]
    assert audit["who"] == "ana" and "4900.00" in audit["after_json"]
    again = cli(app, batch, "exceptions", "retry", item["id"], "--set", "claim.amount=1.00")
    assert again.returncode == 2 and "only open exceptions" in again.stderr
    assert len(app.claims()) == 1


def test_resolve_and_reject_close_items_with_their_audit(app, batch):
    items = queue(app, batch)
    unknown = items["claim-08-northwind-unknown-policy.pdf"]["id"]
    over = items["claim-10-acme-over-limit.pdf"]["id"]
    assert cli(app, batch, "exceptions", "reject", over).returncode == 2  # a reason is required
    assert cli(app, batch, "exceptions", "resolve", unknown, "--reference", "CLM-MANUAL-7",
               "--who", "bo").returncode == 0
    assert cli(app, batch, "exceptions", "reject", over, "--reason", "duplicate of a paper claim",
               "--who", "bo").returncode == 0
    assert set(queue(app, batch)) == {"claim-11-acme-no-policy.pdf"}
    shown = json.loads(cli(app, batch, "exceptions", "show", unknown, "--json").stdout)
    assert shown["review_state"] == "resolved" and shown["reference"] == "CLM-MANUAL-7"
    assert [entry["action"] for entry in shown["audit"]] == ["resolve"]
    assert app.claims() == []


def test_a_missing_field_is_completed_from_what_was_read(app, batch):
    item = queue(app, batch)["claim-11-acme-no-policy.pdf"]
    assert item["code"] == "POLICY_MISSING"
    shown = json.loads(cli(app, batch, "exceptions", "show", item["id"], "--json").stdout)
    assert shown["values"]["claim"]["amount"] == "300.00"  # the rest of the form was read
    assert shown["values"]["claim"]["policy_number"] is None
    retried = cli(app, batch, "exceptions", "retry", item["id"], "--set",
                  "claim.policy_number=POL-100234", "--json")
    assert json.loads(retried.stdout)["status"] == "done", retried.stderr
    [claim] = app.claims()
    assert (claim["policy_number"], claim["amount"]) == ("POL-100234", "300.00")
