"""`python runner.py sla` on a back-dated batch: tables, late items, alerts once, --json."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bots.kernel import WorkItem
from bots.ledger import Ledger

ROOT = Path(__file__).resolve().parents[2]
GOAL = """
service_goal:
  due_after: 2 days
  at_risk_before: 8 hours
  alert_webhook: ${env.ALERT_WEBHOOK}
"""

SLOW_GOAL = """recipe: slow-goal
source: {folder: inbox}
steps: [{id: rules, uses: data.check_rules, with: {rules: [{value: x, not_empty: true, code: X}]}}]
service_goal: {due_after: one fortnight}
"""


@pytest.fixture
def project(tmp_path):
    """A project folder: claims-intake with a goal, a broken recipe, and a back-dated ledger."""
    recipes = tmp_path / "recipes"
    recipes.mkdir()
    claims = (ROOT / "recipes" / "claims-intake.yaml").read_text(encoding="utf-8")
    claims = re.sub(r"\nservice_goal:.*?(?=\nweb:)", "\n", claims, flags=re.S)  # ours below
    (recipes / "claims-intake.yaml").write_text(claims + GOAL, encoding="utf-8")
    (recipes / "half-done.yaml").write_text("recipe: half-done\nsteps: []\n", encoding="utf-8")
    (recipes / "slow-goal.yaml").write_text(SLOW_GOAL, encoding="utf-8")
    (recipes / "part.snippet.yaml").write_text("steps: []\n", encoding="utf-8")
    (tmp_path / "state").mkdir()
    back_date(Ledger(f"sqlite:///{tmp_path / 'state' / 'bots.sqlite'}"))
    return tmp_path


def back_date(ledger: Ledger) -> None:
    """Items that arrived hours and days ago, inserted as the engine inserts them."""
    now = datetime.now(UTC)
    for name, age, status in (("late-claim.pdf", timedelta(days=3), "exception"),
                              ("close-claim.pdf", timedelta(days=2, hours=-3), "queued"),
                              ("new-claim.pdf", timedelta(hours=1), "queued"),
                              ("keyed-claim.pdf", timedelta(days=1), "done")):
        item = WorkItem(key=name, name=name, arrived_at=(now - age).isoformat())
        ledger.item_queued(f"claims-intake/{name}", "claims-intake", item, "run-old")
        ledger.update_item(f"claims-intake/{name}", status=status,
                           code="POLICY_NOT_FOUND" if status == "exception" else None)
    ledger.item_queued("retired/a.pdf", "retired", WorkItem(key="a", name="a.pdf"), "run-0")
    ledger.close()


def sla(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "runner.py"), "sla", *args], cwd=project,
                          env={**os.environ, "BOTS_STATE_DIR": str(project / "state"), **env},
                          text=True, capture_output=True, check=False, timeout=60)


def test_sla_shows_late_items_and_alerts_once(project, receiver):
    first = sla(project, ALERT_WEBHOOK=receiver.url)
    assert first.returncode == 1, first.stderr  # an item is breached: a monitor alerts on it
    out = first.stdout
    assert "claims-intake: done within 2 days, at risk 8 hours before" in out
    assert "  on time  at risk  breached  met  missed\n        1        1         1    1       0" \
        in out
    assert "oldest open: late-claim.pdf, 3d old" in out
    assert [line.split()[:3] for line in out.splitlines() if "claim.pdf  " in line] == [
        ["breached", "late-claim.pdf", "POLICY_NOT_FOUND"], ["at", "risk", "close-claim.pdf"]]
    assert "overdue by 1d" in out
    assert re.search(r"close-claim.pdf +- +due in (2h 59m|3h)$", out, re.MULTILINE)
    assert "retired: no service goal (1 item(s))" in out
    assert "half-done: recipe does not load (see problems)" not in out  # no items: not listed
    assert "problem: recipes/half-done.yaml:2:8: steps: List should have at least 1 item" in out
    assert ("problem: recipes/slow-goal.yaml:4:27: service_goal.due_after: 'one fortnight' is "
            "not a duration: write '<number> business days'") in out
    assert "part.snippet" not in out
    assert "2 alert(s) raised" in out
    assert sorted((b["json"]["name"], b["json"]["state"]) for b in receiver.bodies) == [
        ("close-claim.pdf", "at_risk"), ("late-claim.pdf", "breached")]
    logged = (project / "state" / "logs" / "sla.jsonl").read_text(encoding="utf-8")
    assert logged.count('"event": "sla.alert"') == 2

    again = sla(project, "--json", ALERT_WEBHOOK=receiver.url)
    data = json.loads(again.stdout)
    assert (again.returncode, data["alerts"], len(receiver.bodies)) == (1, [], 2)
    claims = next(s for s in data["recipes"] if s["recipe"] == "claims-intake")
    assert claims["counts"] == {"on_time": 1, "at_risk": 1, "breached": 1, "met": 1, "missed": 0}


def test_an_unknown_recipe_is_named_with_a_suggestion(project):
    result = sla(project, "--recipe", "claims-intak")
    assert result.returncode == 2
    assert "no recipe named 'claims-intak'" in result.stderr
    assert "did you mean 'claims-intake'?" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_nothing_breached_exits_0(project):
    """Only a breached item makes `sla` fail; a recipe with none (here: without a goal) is 0."""
    result = sla(project, "--recipe", "retired")
    assert result.returncode == 0, result.stderr
    assert "retired: no service goal (1 item(s))" in result.stdout
