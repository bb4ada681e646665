"""Automatic retries through the real engine (run_batch, DBOS and the ledger on SQLite in a tmp
state folder), with step types that record their calls: what a later run retries, from which
step, how it is audited and counted, and what it leaves alone."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bots.engine.batch import RunOptions, run_batch
from bots.engine.progress import Progress
from bots.kernel import ApplicationError, BusinessError, StepType
from bots.ledger import Ledger
from bots.recipe import load_recipe
from bots.steps.registry import all_steps
from tests.engine.engine_fakes import Params

RECIPE = """\
recipe: heal-test
source: {{folder: {inbox}}}
settings: {{concurrency: 1, retry: {{attempts: 1}}, outage: {{wait_s: 0}},
           circuit_breaker: {{consecutive_failures: 0}}, retry_failed: {policy}}}
steps:
  - {{id: read, uses: test.read}}
  - {{id: work, uses: test.work}}
"""


class Target:
    """The two steps: `read` always works; `work` raises what `fail` holds for an item."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.fail: dict[str, BaseException] = {}

    def read(self, params: Params, ctx: Any) -> dict[str, str]:
        self.calls.append(("read", ctx.item.name))
        return {"text": ctx.item.name}

    def work(self, params: Params, ctx: Any) -> dict[str, str]:
        self.calls.append(("work", ctx.item.name))
        if ctx.item.name in self.fail:
            raise self.fail[ctx.item.name]
        return {"reference": f"REF-{ctx.item.name}"}


@pytest.fixture
def target(monkeypatch: pytest.MonkeyPatch) -> Target:
    target = Target()
    for name, function in (("test.read", target.read), ("test.work", target.work)):
        monkeypatch.setitem(all_steps(), name, StepType(name, Params, function))
    return target


def run(tmp_path: Path, policy: str, run_id: str, *, dry_run: bool = False,
        new: tuple[str, ...] = (), url: str | None = None,
        file_name: str = "heal-test.yaml") -> dict[str, Any]:
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for name in ("down", "wrong", "fine", *new):
        (inbox / f"{name}.txt").write_text(name)
    path = tmp_path / file_name
    path.write_text(RECIPE.format(inbox=inbox, policy=policy))
    options = RunOptions(state_dir=tmp_path / "state", database_url=url or _url(tmp_path),
                         run_id=run_id, dry_run=dry_run)
    return asyncio.run(run_batch(load_recipe(str(path)), options, Progress(False)))


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'state.sqlite'}"


def items(tmp_path: Path, url: str | None = None) -> dict[str, dict[str, Any]]:
    ledger = Ledger(url or _url(tmp_path))
    try:
        return {row["name"]: {**row, "audit": ledger.audit_trail(row["item_id"])}
                for row in ledger.find_items()}
    finally:
        ledger.close()


@pytest.fixture
def failed_once(tmp_path: Path, target: Target) -> Target:
    """A first run: down.txt failed for a system reason, wrong.txt for a business one."""
    target.fail = {"down.txt": ApplicationError("the server said 503", code="SERVER_ERROR"),
                   "wrong.txt": BusinessError("no such policy", code="POLICY_NOT_FOUND")}
    first = run(tmp_path, "{times: 1, after_s: 0}", "r1")
    assert first["exit_code"] == 1
    assert first["exceptions"] == {"POLICY_NOT_FOUND": 1, "SERVER_ERROR": 1}
    target.calls.clear()
    return target


def test_a_later_run_retries_the_system_failure_from_its_failed_step(
        tmp_path: Path, failed_once: Target) -> None:
    failed_once.fail.pop("down.txt")  # the target is back
    second = run(tmp_path, "{times: 1, after_s: 0}", "r2")
    assert second["auto_retry"] == {"retried": 1, "done": 1, "still_open": 0, "waiting": 0,
                                    "left_for_a_person": 0}
    assert second["exit_code"] == 0 and second["done"] == 2, second
    assert second["exceptions"] == {"POLICY_NOT_FOUND": 1}  # a person's work, untouched
    assert failed_once.calls == [("work", "down.txt")]  # resumed at `work`, nothing else ran
    down = items(tmp_path)["down.txt"]
    assert down["status"] == "done"
    assert down["outputs"]["read"] == {"text": "down.txt"}  # kept from the first run
    [entry] = down["audit"]
    assert (entry["who"], entry["action"]) == ("auto-retry", "retry")
    assert entry["note"] == ("automatic retry 1 of 1 by run r2, from step work "
                             "(was SERVER_ERROR)")
    assert items(tmp_path)["wrong.txt"]["audit"] == []


def test_a_retry_that_fails_again_counts_and_the_next_run_leaves_it_for_a_person(
        tmp_path: Path, failed_once: Target) -> None:
    second = run(tmp_path, "{times: 1, after_s: 0}", "r2")  # still down
    assert second["auto_retry"] == {"retried": 1, "done": 0, "still_open": 1, "waiting": 0,
                                    "left_for_a_person": 1}
    assert second["exit_code"] == 1 and second["application_failures"] == 1
    third = run(tmp_path, "{times: 1, after_s: 0}", "r3")
    assert third["auto_retry"]["retried"] == 0 and third["auto_retry"]["left_for_a_person"] == 1
    assert third["exit_code"] == 0 and third["exceptions"] == {"POLICY_NOT_FOUND": 1,
                                                               "SERVER_ERROR": 1}
    assert failed_once.calls == [("work", "down.txt")]  # once, by r2
    assert len(items(tmp_path)["down.txt"]["audit"]) == 1


def test_no_retry_before_after_s_nor_in_a_dry_run(tmp_path: Path, failed_once: Target) -> None:
    failed_once.fail.clear()
    soon = run(tmp_path, "{times: 2, after_s: 3600}", "r2")
    assert soon["auto_retry"]["waiting"] == 1 and soon["auto_retry"]["retried"] == 0
    rehearsal = run(tmp_path, "{times: 2, after_s: 0}", "r3", dry_run=True)
    assert rehearsal["auto_retry"]["retried"] == 0
    other = run(tmp_path, "{times: 2, after_s: 0}", "r4", file_name="elsewhere.yaml")
    assert other["auto_retry"]["retried"] == 0  # same name, another file: not its items
    assert items(tmp_path)["down.txt"]["status"] == "exception"
    assert all(entry["audit"] == [] for entry in items(tmp_path).values())


def test_refused_sign_ons_are_retried_one_first_the_rest_once_one_is_done(
        tmp_path: Path, target: Target) -> None:
    """A password still wrong costs one refused sign-on in the next run (exit 77), not one per
    item; once the sign-on works, every held retry runs in the same run."""
    target.fail = {name: ApplicationError("no answer", code="SERVER_ERROR")
                   for name in ("down.txt", "wrong.txt", "fine.txt")}
    policy = "{times: 2, after_s: 0}"
    run(tmp_path, policy, "r1")
    ledger = Ledger(_url(tmp_path))  # as a run refused at sign-on leaves them (without the
    for row in ledger.find_items():  # items it stopped: those stay pending, not refused)
        ledger.update_item(row["item_id"], code="LOGIN_FAILED")
    ledger.close()
    target.fail = {name: ApplicationError("refused", code="LOGIN_FAILED") for name in target.fail}
    target.calls.clear()
    still = run(tmp_path, policy, "r2")
    assert still["exit_code"] == 77 and still["halted_by"] == "credentials", still
    assert len(target.calls) == 1  # one sign-on attempt, not three
    assert still["auto_retry"]["retried"] == 1 and still["auto_retry"]["waiting"] == 2
    assert still["items"] == 3 and still["exceptions"] == {"LOGIN_FAILED": 3}  # all counted
    assert sum(len(item["audit"]) for item in items(tmp_path).values()) == 1
    target.fail.clear()  # the password is fixed
    fixed = run(tmp_path, policy, "r3")
    assert fixed["exit_code"] == 0 and fixed["done"] == 3, fixed
    assert fixed["auto_retry"]["retried"] == 3 and fixed["auto_retry"]["done"] == 3


def test_an_item_a_person_settled_while_its_retry_waited_is_not_run_again(
        tmp_path: Path, failed_once: Target, monkeypatch: pytest.MonkeyPatch) -> None:
    """The retries queue behind the new items; an analyst who resolves the item by hand
    meanwhile (here: while the new item runs) has the last word: the retry runs nothing."""
    from bots.ledger.actions import resolve

    def analyst_meanwhile(params: Params, ctx: Any) -> dict[str, str]:
        failed_once.calls.append(("work", ctx.item.name))
        if ctx.item.name == "new.txt":
            ledger = Ledger(_url(tmp_path))
            resolve(ledger, items(tmp_path)["down.txt"]["item_id"], "ana", "CLM-BYHAND")
            ledger.close()
        return {}

    monkeypatch.setitem(all_steps(), "test.work", StepType("test.work", Params, analyst_meanwhile))
    second = run(tmp_path, "{times: 1, after_s: 0}", "r2", new=("new",))
    assert [call for call in failed_once.calls if call[0] == "work"] == [("work", "new.txt")]
    assert second["resolved"] == 1 and second["exit_code"] == 0, second
    down = items(tmp_path)["down.txt"]
    assert (down["status"], down["review_state"]) == ("exception", "resolved")
    assert [entry["who"] for entry in down["audit"]] == ["auto-retry", "ana"]


def test_a_later_run_heals_on_postgresql_too(tmp_path: Path, target: Target,
                                             database: str) -> None:
    target.fail = {"down.txt": ApplicationError("the server said 503", code="SERVER_ERROR")}
    assert run(tmp_path, "{times: 1, after_s: 0}", "p1", url=database)["exit_code"] == 1
    target.fail.clear()
    second = run(tmp_path, "{times: 1, after_s: 0}", "p2", url=database)
    assert second["auto_retry"]["done"] == 1 and second["exit_code"] == 0, second
    down = items(tmp_path, database)["down.txt"]
    assert down["status"] == "done" and [e["who"] for e in down["audit"]] == ["auto-retry"]
