"""claims-intake, unchanged, on the claims screens after a vendor upgrade: healed with proof.

Run 1 keys claims on version 1 (the fingerprints of every control are remembered). The app
switches to version 2 (labels reworded, fields moved, new ids, "Continue"). Run 2 keys two other
claims through healing: every valid claim exactly once, `healed` events, one proposal per
control. `--no-heal` on version 2 is SCREEN_MISMATCH. Once every proposal is accepted, run 3
keys new claims on version 2 without healing anything.

The copy is claims-intake as shipped (its inbox aside): on a settled page a control the
recipe's way does not find is known missing in about 2 s, then healed.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bots.commands import heal
from bots.ledger import Ledger
from fixtures.legacy_app import LegacyApp
from fixtures.recipe_copy import recipe_copy
from tests.e2e.runner_support import CLAIMS, expectations, run_runner
from tests.runner_result import RunResult

pytestmark = pytest.mark.browser

RUN_1 = ("claim-01-acme-water.pdf", "claim-03-northwind-collision.pdf")
RUN_2 = ("claim-02-acme-theft.pdf", "claim-04-northwind-itemized.pdf")  # two heal at once
NO_HEAL = ("claim-06-harbor-glass.pdf",)
RUN_3 = ("claim-06-harbor-glass.pdf", "claim-07-northwind-hail.pdf")


def claims_recipe(folder: Path, inbox: Path) -> str:
    """claims-intake reading `inbox`, its screen names unchanged."""
    def change(data: Any) -> None:
        data["source"]["folder"] = str(inbox)
        data.pop("service_goal", None)  # its web section and timeouts stay as shipped

    return str(recipe_copy(folder, "claims-intake", change, file_name="claims-copy.yaml"))


def drop(inbox: Path, names: tuple[str, ...]) -> None:
    inbox.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(CLAIMS / name, inbox / name)


def new_and_done(result: RunResult) -> tuple[int, int, int]:
    """Exit code, items this run finished, items done in all (earlier runs' included)."""
    summary = result.summary
    return (result.returncode, summary["done"] - summary["already_finished"],
            summary["done"])


def events(result: RunResult) -> list[dict[str, Any]]:
    log = Path(result.summary["log_file"])
    return [json.loads(line) for line in log.read_text().splitlines()]


def healed_events(result: RunResult) -> list[dict[str, Any]]:
    return [event for event in events(result) if event["event"] == "healed"]


def assert_keyed_once(app: LegacyApp, names: tuple[str, ...]) -> None:
    """Each claim of these documents is in the app exactly once, with the document's values."""
    expected = expectations()
    claims = app.claims()
    assert max(Counter(c["external_ref"] for c in claims).values()) == 1
    keyed = {(c["policy_number"], c["amount"], c["loss_date"], c["loss_type"]) for c in claims}
    for name in names:
        fields = expected[name]["fields"]
        assert (fields["policy_number"], fields["amount"], fields["loss_date"],
                fields["loss_type"]) in keyed, name


def outcomes(state: Path) -> dict[str, tuple[str, str | None]]:
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        return {row["name"]: (row["status"], row["code"]) for row in ledger.find_items()}
    finally:
        ledger.close()


def heal_command(app: LegacyApp, state: Path, *args: str) -> RunResult:
    return run_runner(app, state, "heal", *args, timeout=60)


def accept_all(app: LegacyApp, state: Path, ids: list[str],
               monkeypatch: pytest.MonkeyPatch) -> None:
    """`heal accept` for each proposal: the first through runner.py, the rest by the same
    command's function in this process (a runner start each would add seconds, not proof)."""
    assert heal_command(app, state, "accept", ids[0]).returncode == 0
    monkeypatch.setenv("BOTS_STATE_DIR", str(state))
    for ident in ids[1:]:
        assert heal.accept(ident) == 0, ident


def test_claims_intake_heals_onto_version_two_with_proof_and_proposals(
        app: LegacyApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, state = tmp_path / "inbox", tmp_path / "state"
    recipe = claims_recipe(tmp_path, inbox)
    drop(inbox, RUN_1)
    first = run_runner(app, state, recipe)
    assert new_and_done(first) == (0, 2, 2), first.stderr
    assert (state / "heal" / "claims-intake" / "submit.json").is_file()

    app.set_screens(2)
    drop(inbox, RUN_2)
    second = run_runner(app, state, recipe, "--concurrency", "2")
    assert new_and_done(second) == (0, 2, 4), second.stderr
    assert_keyed_once(app, RUN_1 + RUN_2)
    assert len(app.claims()) == 4
    healed = healed_events(second)
    assert {(e["step_id"], e["what"], e["name"]) for e in healed} >= {
        ("inquiry", "field", "Policy Number"), ("submit", "field", "Claimant Name"),
        ("submit", "field", "Amount Claimed"), ("submit", "button", "Next >")}
    assert all(e["score"] > e["runner_up"] for e in healed)
    assert "healing re-found" in second.stderr and "heal list claims-intake" in second.stderr
    pending = json.loads(heal_command(app, state, "list", "--json").stdout)
    controls = Counter((p["step"], p["what"], p["name"]) for p in pending)
    assert max(controls.values()) == 1  # one proposal per control, however many items
    assert {p["new_label"] for p in pending} >= {"Policy No.", "Name of claimant",
                                                 "Claim amount", "Continue"}
    assert all(p["items_worked"] and Path(p["evidence"]["new"]).is_file() for p in pending)

    without = tmp_path / "state-no-heal"
    shutil.copytree(state, without)
    drop(inbox, NO_HEAL)
    refused = run_runner(app, without, recipe, "--no-heal")
    assert refused.returncode != 0 and not healed_events(refused)
    assert outcomes(without)[NO_HEAL[0]] == ("exception", "SCREEN_MISMATCH")
    assert len(app.claims()) == 4

    accept_all(app, state, [proposal["id"] for proposal in pending], monkeypatch)
    assert "Policy No." in Path(recipe).read_text()
    drop(inbox, RUN_3)
    third = run_runner(app, state, recipe)
    assert new_and_done(third) == (0, 2, 6), third.stderr
    assert healed_events(third) == [] and "healing re-found" not in third.stderr
    assert_keyed_once(app, RUN_1 + RUN_2 + RUN_3)
    assert len(app.claims()) == 6
