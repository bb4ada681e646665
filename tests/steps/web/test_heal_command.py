"""`runner.py heal list|show|accept|reject`: proposals read, a recipe rewritten in place."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from bots import cli
from bots.web.heal.proposals import Healing, proposals, record_heal
from bots.web.heal.store import HealStore

ROOT = Path(__file__).resolve().parents[3]
RECIPE = ROOT / "recipes" / "claims-intake.yaml"


def runner_process(state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`runner.py heal ARGS` as its own process: exit code and output as a scheduler sees them."""
    env = {**os.environ, "BOTS_STATE_DIR": str(state)}
    return subprocess.run([sys.executable, "runner.py", "heal", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def runner(state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`runner.py heal ARGS` in this process, through the CLI's own parser and dispatch: a
    process per call cost seconds of imports and proved nothing the one above does not."""
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, {"BOTS_STATE_DIR": str(state)}), contextlib.chdir(ROOT), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["heal", *args])
    return subprocess.CompletedProcess(["heal", *args], code, out.getvalue(), err.getvalue())


def healed(state: Path, what: str, name: str, new: str, step: str = "submit",
           selector: str = "") -> str:
    healing = Healing(step, what, name, "input:text", new, selector, 0.97, 0.4, f"{name}:",
                      {"old": "old.png"})
    return str(record_heal(HealStore(state, "claims-intake"), healing, "item-1")["id"])


def recipe_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "claims-copy.yaml"
    copy.write_text(RECIPE.read_text(encoding="utf-8"), encoding="utf-8")
    HealStore(tmp_path / "state", "claims-intake").remember_recipe_file(copy)
    return copy


def test_accept_rewrites_the_step_and_its_check_and_keeps_everything_else(tmp_path: Path) -> None:
    state, copy = tmp_path / "state", recipe_copy(tmp_path)
    field = healed(state, "field", "External Reference", "External Ref.")
    button = healed(state, "button", "Next >", "Continue")
    listed = runner(state, "list")
    assert listed.returncode == 0 and field in listed.stdout and button in listed.stdout
    assert "'External Reference' -> 'External Ref.'" in listed.stdout
    assert runner(state, "accept", field).returncode == 0
    assert runner(state, "accept", button[:5]).returncode == 0
    before, after = RECIPE.read_text().splitlines(), copy.read_text().splitlines()
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert changed == [
        ("          submit: Next >", "          submit: Continue"),
        ("            External Reference: ${item.ref}", "            External Ref.: ${item.ref}"),
        ("          submit: Next >", "          submit: Continue"),
        ('        fields: {"External Reference": "${item.ref}"}',
         '        fields: {"External Ref.": "${item.ref}"}')]
    assert runner(state, "list").stdout.startswith("No pending proposals")
    statuses = {p["id"]: p["status"] for p in proposals(HealStore(state, "claims-intake"))}
    assert statuses == {field: "accepted", button: "accepted"}


def test_accept_keys_the_fingerprints_under_the_new_name(tmp_path: Path) -> None:
    state, _ = tmp_path / "state", recipe_copy(tmp_path)
    store = HealStore(state, "claims-intake")
    store.save_controls("inquiry", {"field:Policy Number": {
        "what": "field", "name": "Policy Number", "variants": [{"kind": "input:text"}]}})
    ident = healed(state, "field", "Policy Number", "Policy No.", step="inquiry")
    assert runner(state, "accept", ident).returncode == 0
    assert list(store.controls("inquiry")) == ["field:Policy No."]


def test_show_and_reject(tmp_path: Path) -> None:
    state, copy = tmp_path / "state", recipe_copy(tmp_path)
    ident = healed(state, "field", "Claimant Name", "Name of claimant")
    shown = runner(state, "show", ident)
    assert shown.returncode == 0 and "Score     0.97 (runner-up 0.40)" in shown.stdout
    assert json.loads(runner(state, "show", ident, "--json").stdout)["id"] == ident
    assert runner(state, "reject", ident, "--reason", "not the same field").returncode == 0
    assert copy.read_text() == RECIPE.read_text()
    everything = runner(state, "list", "--all")
    assert "rejected" in everything.stdout


def test_unknown_ids_and_recipes_exit_2_with_a_message(tmp_path: Path) -> None:
    state = tmp_path / "state"
    for args in (("show", "nope"), ("accept", "nope"), ("reject", "nope"),
                 ("list", "no-such-recipe")):
        result = runner(state, *args)
        assert result.returncode == 2 and "error:" in result.stderr, args
    refused = runner_process(state, "accept", "nope")  # the process: its code, no traceback
    assert refused.returncode == 2 and "error:" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert runner_process(state, "list", "claims-intake").returncode == 0  # nothing healed


def test_a_change_the_recipe_cannot_take_is_refused_and_the_file_kept(tmp_path: Path) -> None:
    state, copy = tmp_path / "state", recipe_copy(tmp_path)
    ident = healed(state, "field", "No Such Field", "Whatever")
    result = runner(state, "accept", ident)
    assert result.returncode == 2 and "does not name the field 'No Such Field'" in result.stderr
    assert copy.read_text() == RECIPE.read_text()


def test_a_control_without_a_label_is_accepted_as_a_selector(tmp_path: Path) -> None:
    state, copy = tmp_path / "state", recipe_copy(tmp_path)
    field = healed(state, "field", "Claimant Name", "", selector="#claimantName")
    button = healed(state, "button", "Inquire", "", step="inquiry", selector="#inquire")
    assert runner(state, "accept", field).returncode == 0
    assert runner(state, "accept", button).returncode == 0
    text = copy.read_text()
    assert ('            Claimant Name: {value: "${claim.claimant_name}", '
            'selector: "#claimantName"}') in text
    assert '      submit: {selector: "#inquire"}' in text
    checked = subprocess.run([sys.executable, "runner.py", "check", "--offline", str(copy)],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
