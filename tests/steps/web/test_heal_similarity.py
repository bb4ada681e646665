"""How healing reads labels and weighs candidates (pure logic), and its files under concurrency."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bots.web.heal.score import Scored, clear_winner, ranked, score
from bots.web.heal.similarity import label_similarity
from bots.web.heal.store import HealStore

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(("old", "new"), [
    ("Policy Number", "Policy No."), ("Claimant Name", "Name of claimant"),
    ("Amount Claimed", "Claim amount"), ("Date of Loss", "Loss date:"),
    ("Loss Type", "Type of loss"), ("External Reference", "External Ref."),
    ("Next >", "Continue"), ("Search", "Find"), ("Phone", "Telephone"),
    ("E-mail", "e-mail*"), ("Policy\u00a0Number:", "policy number"),
])
def test_reworded_labels_read_as_the_same(old: str, new: str) -> None:
    assert label_similarity(old, new) >= 0.9


@pytest.mark.parametrize(("old", "new"), [
    ("Policy Number", "Name of claimant"), ("Claimant Name", "Policy No."),
    ("Date of Loss", "Claim amount"), ("Submit Claim", "< Back"), ("Next >", "Sign Off"),
    ("Policy Number", ""),
])
def test_different_labels_do_not(old: str, new: str) -> None:
    assert label_similarity(old, new) < 0.5


def remembered(kind: str, label: str) -> dict[str, object]:
    return {"kind": kind, "fingerprint": {"label": label, "box": {"x": 10, "y": 10, "w": 100,
                                                                   "h": 20}}}


def test_a_field_never_scores_against_another_kind() -> None:
    date = remembered("input:date", "Date of Loss:")
    assert score({"label": "Date of loss"}, "select", date, "Date of Loss", "field") is None
    assert score({"label": "Date of loss"}, "input:date", date, "Date of Loss", "field")
    text = remembered("input:text", "Phone:")
    assert score({"label": "Telephone"}, "input:tel", text, "Phone", "field")  # text-like
    group = remembered("radio-group", "Gender")
    assert score({"label": "Gender"}, "input:radio", group, "Gender", "field") is None


def test_only_one_clear_winner_is_taken() -> None:
    assert clear_winner([Scored(0, 0.95, "a"), Scored(1, 0.5, "b")]) == Scored(0, 0.95, "a")
    assert clear_winner([Scored(0, 0.95, "a"), Scored(1, 0.9, "b")]) is None  # look-alikes
    assert clear_winner([Scored(0, 0.45, "a")]) is None  # nothing like it
    assert clear_winner([]) is None


def test_a_candidate_another_control_of_the_step_names_is_left_to_it() -> None:
    policy = [remembered("input:text", "Policy Number:")]
    described = [({"label": "Name of claimant"}, "input:text")]
    assert ranked(described, policy, "Policy Number", "field", others=[]) != []
    assert ranked(described, policy, "Policy Number", "field", others=["Claimant Name"]) == []


REMEMBER_ONE = """
import sys
from pathlib import Path
from bots.web.heal.memory import FileMemory
from bots.web.heal.store import HealStore
from bots.web.targets import Found
name = sys.argv[2]
memory = FileMemory(HealStore(Path(sys.argv[1]), "claims"), "submit", name, heal=True)
for round in range(20):
    fingerprint = {"label": f"{name} (screen {round})", "tag": "input"}
    memory.remember([("field", name, Found(None, "input:text", "label-for", fingerprint))])
"""


def test_workers_remembering_at_once_lose_nothing(tmp_path: Path) -> None:
    names = [f"Field {number}" for number in range(4)]
    workers = [subprocess.Popen([sys.executable, "-c", REMEMBER_ONE, str(tmp_path), name],
                                cwd=ROOT) for name in names]
    assert [worker.wait(timeout=60) for worker in workers] == [0] * 4
    controls = HealStore(tmp_path, "claims").controls("submit")
    assert sorted(controls) == [f"field:{name}" for name in names]
    assert all(len(entry["variants"]) == 4 for entry in controls.values())  # the last four
