"""claims-intake end to end: the runner as a subprocess, real Chromium, the real fixture app.

Asserts real outcomes: the fixture app's database holds each valid claim exactly once with the
document's values, each bad document is an exception with its expected code, and a second
run (or a re-dropped copy of a file) keys nothing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bots.ledger import Ledger
from tests.e2e.runner_support import CLAIMS, expectations, run_runner, write_recipe

pytestmark = pytest.mark.browser


def external_ref(document: Path) -> str:
    return "BOT-" + hashlib.sha256(document.read_bytes()).hexdigest()[:10].upper()


def ledger_outcomes(state: Path) -> dict[str, tuple[str, str | None]]:
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        return {row["name"]: (row["status"], row["code"]) for row in ledger.find_items()}
    finally:
        ledger.close()


def test_first_run_keys_every_valid_claim_once_and_routes_the_rest(app, tmp_path):
    result = run_runner(app, tmp_path, "claims-intake", "--concurrency", "2")
    assert result.returncode == 0, result.stderr
    expected = expectations()
    valid = {name: e for name, e in expected.items() if e["outcome"] == "done"}
    summary = result.summary
    assert (summary["items"], summary["done"]) == (len(expected), len(valid))
    codes = Counter(e["code"] for e in expected.values() if e["outcome"] == "exception")
    assert summary["exceptions"] == dict(codes)
    assert {"recipe", "run_id", "duration_s"} <= summary.keys()

    outcomes = ledger_outcomes(tmp_path)
    for name, e in expected.items():
        assert outcomes[name] == ("done", None) if e["outcome"] == "done" \
            else outcomes[name] == ("exception", e["code"]), name

    claims = app.claims()
    by_ref = Counter(claim["external_ref"] for claim in claims)
    assert len(claims) == len(valid) and max(by_ref.values()) == 1
    for name, e in valid.items():
        claim = next(c for c in claims if c["external_ref"] == external_ref(CLAIMS / name))
        fields = e["fields"]
        assert (claim["policy_number"], claim["amount"], claim["loss_date"],
                claim["loss_type"]) == (fields["policy_number"], fields["amount"],
                                        fields["loss_date"], fields["loss_type"]), name

    _assert_every_event_names_its_run_item_and_step(Path(summary["log_file"]), summary)
    results = tmp_path / "reports" / "claims-intake-results.xlsx"  # under its own state folder
    sheet = load_workbook(results).active
    assert sheet.max_row == len(expected) + 1
    header = [cell.value for cell in sheet[1]]
    layouts = {row[header.index("Layout")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"acme", "northwind"} <= layouts  # the form each document was read as

    again = run_runner(app, tmp_path, "claims-intake")
    assert again.returncode == 0, again.stderr
    assert again.summary["already_finished"] == len(expected)
    assert [c["reference"] for c in app.claims()] == [c["reference"] for c in claims]


def _assert_every_event_names_its_run_item_and_step(log: Path, summary: dict) -> None:
    """Run, item and step ids are bound once and reach every event of the run's log."""
    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert {event["run_id"] for event in events} == {summary["run_id"]}
    steps = [event for event in events if event["event"] in ("step.finished", "step.retry")]
    assert len(steps) >= summary["items"]
    assert all(event["item_id"].startswith("claims-intake/") and event["step_id"]
               for event in steps)
    assert all(event["item"].endswith(".pdf") for event in steps)  # the file, not only a hash
    ends = {event["item"]: event for event in events if event["event"] == "item.finished"}
    assert len(ends) == summary["items"]
    for end in ends.values():  # these exceptions are the data's: a person's work, at warning
        assert end["level"] == ("info" if end["status"] == "done" else "warning"), end
        assert end["reference"] if end["status"] == "done" else end["code"] and end["step"]
    closing = events[-1]  # the log ends as stdout does
    assert closing["event"] == "run.summary" and closing["exit_code"] == summary["exit_code"]
    assert closing["reason"] == summary["reason"] and closing["done"] == summary["done"]


def test_same_pdf_dropped_again_is_not_keyed_twice(app, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    original = CLAIMS / "claim-01-acme-water.pdf"
    shutil.copy(original, inbox / original.name)
    recipe = write_recipe(tmp_path, inbox)
    state = tmp_path / "state"
    assert run_runner(app, state, str(recipe)).summary["done"] == 1
    shutil.copy(original, inbox / "claim-01-resent-by-email.pdf")
    second = run_runner(app, state, str(recipe))
    assert second.summary["repeated_files"] == ["claim-01-resent-by-email.pdf"]
    assert len(app.claims()) == 1


DRY_RUN_INBOX = ("claim-01-acme-water.pdf", "claim-03-northwind-collision.pdf",
                 "claim-05-harbor-fire.pdf", "claim-08-northwind-unknown-policy.pdf")


def test_dry_run_submits_nothing_and_shows_what_it_would_key(app, tmp_path):
    inbox, state = tmp_path / "inbox", tmp_path / "state"
    inbox.mkdir()
    for name in DRY_RUN_INBOX:  # three forms and an exception: what the whole inbox shows
        shutil.copy(CLAIMS / name, inbox)
    recipe = str(write_recipe(tmp_path, inbox))
    result = run_runner(app, state, recipe, "--dry-run", "--concurrency", "2")
    assert result.returncode == 0, result.stderr
    assert app.claims() == []
    report = json.loads(Path(result.summary["dry_run_report"]).read_text())
    valid = [name for name, e in expectations().items()
             if e["outcome"] == "done" and name in DRY_RUN_INBOX]
    assert len(valid) == 3
    assert sorted(entry["item"] for entry in report) == sorted(valid)
    for entry in report:
        assert entry["would_submit"]["External Reference"].startswith("BOT-")
        assert Path(entry["screenshot"]).stat().st_size > 1000
    assert ledger_outcomes(state) == {}  # a dry run leaves the ledger alone
    real = run_runner(app, state, recipe)
    assert real.summary["done"] == len(valid) and len(app.claims()) == len(valid)
