"""before_items and after_items through the real engine (run_batch, DBOS and the ledger on
SQLite in a tmp state folder), with step types that record what they were given."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from bots.engine.batch import RunOptions, run_batch
from bots.engine.progress import Progress
from bots.kernel import ApplicationError, StepType, TransientError
from bots.ledger import Ledger
from bots.recipe import load_recipe
from bots.steps.registry import all_steps
from tests.engine.engine_fakes import Params

RECIPE = """\
recipe: batch-test
source: {{folder: {inbox}}}
settings: {{concurrency: 1, retry: {{attempts: 2, initial_s: 0, max_s: 0, jitter_s: 0}},
           circuit_breaker: {{consecutive_failures: {breaker}}}, outage: {{wait_s: 0}},
           retry_failed: {{times: 2, after_s: {retry_after_s}}}}}
before_items:
  - {{id: start, uses: test.start}}
steps:
  - {{id: work, uses: test.work, with: {{value: '${{batch.start.token}}'}}}}
after_items:
  - {{id: final, uses: test.final, with: {{value: 'after ${{batch.start.token}}'}}}}
report:
  - {{uses: test.report, with: {{value: '${{batch.start.token}} / ${{batch.final.message}}'}}}}
"""


class Journal:
    """Step types that record their calls in order; `fail` makes one of them raise."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.fail: dict[str, BaseException] = {}
        self.slow: dict[str, float] = {}

    def step(self, name: str, output: Any) -> Any:
        def function(params: Params, ctx: Any) -> Any:
            self.calls.append((name, params.value))
            time.sleep(self.slow.get(name, 0))
            if name in self.fail:
                raise self.fail[name]
            return output(params) if callable(output) else output
        return function


@pytest.fixture
def journal(monkeypatch: pytest.MonkeyPatch) -> Journal:
    journal = Journal()
    outputs = {"test.start": {"token": "T-42", "_provenance": {"token": "screen"}},
               "test.work": lambda params: {"seen": params.value},
               "test.final": lambda params: {"message": params.value},
               "test.report": {"written": True}}
    for name, output in outputs.items():
        monkeypatch.setitem(all_steps(), name, StepType(name, Params, journal.step(name, output)))
    return journal


def run(tmp_path: Path, items: int = 3, breaker: int = 5, run_id: str = "r1",
        retry_after_s: float = 600) -> tuple[dict[str, Any], Ledger]:
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for number in range(items):
        (inbox / f"doc{number}.txt").write_text(f"document {number}")
    path = tmp_path / "batch-test.yaml"
    path.write_text(RECIPE.format(inbox=inbox, breaker=breaker, retry_after_s=retry_after_s))
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    options = RunOptions(state_dir=tmp_path / "state", database_url=url, run_id=run_id)
    summary = asyncio.run(run_batch(load_recipe(str(path)), options, Progress(False)))
    return summary, Ledger(url)


def test_items_read_before_items_outputs_and_after_items_run_last(tmp_path, journal):
    summary, ledger = run(tmp_path)
    names = [name for name, _ in journal.calls]
    assert names == ["test.start", "test.work", "test.work", "test.work", "test.final",
                     "test.report"]
    assert journal.calls[-1] == ("test.report", "T-42 / after T-42")  # reports read batch
    assert {value for name, value in journal.calls if name == "test.work"} == {"T-42"}
    assert summary["batch"] == {"before": {"start": {"token": "T-42"}},
                                "after": {"final": {"message": "after T-42"}}}
    assert (summary["done"], summary["exit_code"]) == (3, 0)
    rows = ledger.find_items(recipe="batch-test")
    assert [row["values"]["work"] for row in rows] == [{"seen": "T-42"}] * 3
    ledger.close()


def test_a_screen_mismatch_in_before_items_stops_the_run_with_exit_2_and_leaves_the_items(
        tmp_path, journal):
    journal.fail["test.start"] = ApplicationError("no button 'Start'", code="SCREEN_MISMATCH")
    summary, ledger = run(tmp_path)
    assert [name for name, _ in journal.calls] == ["test.start"]  # no item, no report
    assert summary["exit_code"] == 2 and summary["items"] == 0
    assert summary["not_finished"] == 3
    assert summary["batch"]["failed"] == {"phase": "before_items", "step": "start",
                                          "code": "SCREEN_MISMATCH",
                                          "message": "no button 'Start'"}
    # queued (and held) while before_items ran: every one left queued, none marked running
    rows = ledger.find_items(recipe="batch-test")
    assert sorted(row["status"] for row in rows) == ["queued"] * 3, rows
    ledger.close()
    del journal.fail["test.start"]
    summary, ledger = run(tmp_path, run_id="r2")
    assert (summary["done"], summary["exit_code"]) == (3, 0), summary
    assert [name for name, _ in journal.calls].count("test.work") == 3
    ledger.close()


def test_a_target_down_in_before_items_exits_75(tmp_path, journal):
    journal.fail["test.start"] = TransientError("connection refused", code="SERVER_ERROR")
    summary, _ = run(tmp_path)
    assert [name for name, _ in journal.calls] == ["test.start", "test.start"]  # retried
    assert summary["batch"]["failed"]["code"] == "RETRIES_EXHAUSTED"
    assert summary["exit_code"] == 75 and summary["items"] == 0


def test_a_refused_sign_on_in_before_items_exits_77_after_one_attempt(tmp_path, journal):
    journal.fail["test.start"] = ApplicationError("Sign-on refused", code="LOGIN_FAILED")
    summary, _ = run(tmp_path)
    assert [name for name, _ in journal.calls] == ["test.start"]  # never signed on again
    assert summary["exit_code"] == 77 and summary["items"] == 0
    assert "'start' failed with LOGIN_FAILED" in summary["reason"]
    assert "fix the credentials" in summary["reason"]


def test_after_items_run_when_the_breaker_stops_the_run(tmp_path, journal):
    journal.fail["test.work"] = ApplicationError("the form broke", code="BROWSER_ERROR")
    summary, _ = run(tmp_path, items=4, breaker=2)
    assert summary["halted"] and summary["exit_code"] == 75
    assert ("test.final", "after T-42") in journal.calls[-2:]
    assert summary["batch"]["after"] == {"final": {"message": "after T-42"}}


def test_after_items_of_a_stopped_run_get_a_grace_period(tmp_path, journal, monkeypatch):
    monkeypatch.setattr("bots.engine.batch.STOP_GRACE_S", 0.3)
    journal.fail["test.work"] = ApplicationError("the form broke", code="BROWSER_ERROR")
    journal.slow["test.final"] = 1.5
    started = time.monotonic()
    summary, _ = run(tmp_path, items=3, breaker=2)
    assert time.monotonic() - started < 30
    assert summary["exit_code"] == 75
    assert summary["batch"]["failed"] == {
        "phase": "after_items", "step": "final", "code": "TIMEOUT",
        "message": "after_items did not finish within 0.3 s of the run's early stop"}


def test_a_failing_after_items_step_is_in_the_summary_and_exits_1(tmp_path, journal):
    journal.fail["test.final"] = ApplicationError("no sign-off link", code="SCREEN_MISMATCH")
    summary, _ = run(tmp_path, items=1)
    assert summary["done"] == 1 and summary["exit_code"] == 1
    assert summary["batch"]["failed"]["step"] == "final"
    assert summary["batch"]["after"] == {}
    assert journal.calls[-1][0] == "test.final"  # the report needs ${batch.final...}: failed


def test_a_run_with_every_item_ended_earlier_runs_no_batch_step(tmp_path, journal):
    run(tmp_path, items=2)
    journal.calls.clear()
    summary, _ = run(tmp_path, items=2, run_id="r2")
    assert journal.calls == []  # no Start, no final (the report's batch values: none)
    assert summary["already_finished"] == 2 and summary["exit_code"] == 0
    assert summary["batch"]["skipped"].startswith("no item to run")


def test_a_retry_due_gets_the_batch_setup_though_every_item_ended_earlier(tmp_path, journal):
    journal.fail["test.work"] = ApplicationError("the form broke", code="BROWSER_ERROR")
    first, _ = run(tmp_path, items=1, breaker=0, retry_after_s=0)
    assert first["exceptions"] == {"BROWSER_ERROR": 1}
    del journal.fail["test.work"]
    journal.calls.clear()
    second, _ = run(tmp_path, items=1, breaker=0, run_id="r2", retry_after_s=0)
    assert [name for name, _ in journal.calls] == ["test.start", "test.work", "test.final",
                                                   "test.report"]
    assert journal.calls[1] == ("test.work", "T-42")  # the retry saw the setup's output
    assert second["auto_retry"]["done"] == 1 and "skipped" not in second["batch"]


def test_a_resubmitted_item_gets_the_batch_setup_first_and_after_items_last(
        tmp_path: Path, journal: Journal) -> None:
    from bots.engine import resubmit
    from bots.kernel import BusinessError

    journal.fail["test.work"] = BusinessError("bad value", code="FIELD_INVALID")
    summary, ledger = run(tmp_path, items=1)
    assert summary["exceptions"] == {"FIELD_INVALID": 1}
    item_id = ledger.find_items()[0]["item_id"]
    del journal.fail["test.work"]
    journal.calls.clear()
    options = RunOptions(state_dir=tmp_path / "state",
                         database_url=f"sqlite:///{tmp_path / 'state.sqlite'}", run_id="r2")
    outcome = asyncio.run(resubmit.retry_item(item_id, "ann", {}, options))
    assert outcome.is_done
    assert [name for name, _ in journal.calls] == ["test.start", "test.work", "test.final"]
    assert journal.calls[1] == ("test.work", "T-42")


def test_a_resubmit_whose_batch_setup_fails_changes_nothing(
        tmp_path: Path, journal: Journal) -> None:
    from bots.engine import resubmit
    from bots.kernel import BusinessError

    journal.fail["test.work"] = BusinessError("bad value", code="FIELD_INVALID")
    _, ledger = run(tmp_path, items=1)
    item_id = ledger.find_items()[0]["item_id"]
    journal.fail["test.start"] = ApplicationError("no button 'Start'", code="SCREEN_MISMATCH")
    options = RunOptions(state_dir=tmp_path / "state",
                         database_url=f"sqlite:///{tmp_path / 'state.sqlite'}", run_id="r2")
    with pytest.raises(ApplicationError, match="before_items step 'start' failed"):
        asyncio.run(resubmit.retry_item(item_id, "ann", {}, options))
    assert ledger.audit_trail(item_id) == []


def test_a_rerun_shows_the_batch_as_it_stands_not_replayed_history(tmp_path, journal):
    """Earlier failures are not this run's (exit 0, not a stale 1); what a person resolved or
    rejected since is said so, and only what is still open counts as an exception."""
    from bots.ledger.actions import reject, resolve

    journal.fail["test.work"] = ApplicationError("the form broke", code="BROWSER_ERROR")
    first, ledger = run(tmp_path, items=3, breaker=0)
    assert first["exit_code"] == 1 and first["exceptions"] == {"BROWSER_ERROR": 3}
    journal.fail.clear()
    again, _ = run(tmp_path, items=3, run_id="r2")
    assert (again["exit_code"], again["application_failures"]) == (0, 0)
    assert again["exceptions"] == {"BROWSER_ERROR": 3} and again["already_finished"] == 3
    one, two, _ = ledger.find_items(recipe="batch-test")
    resolve(ledger, one["item_id"], "ana", "CLM-77")
    reject(ledger, two["item_id"], "ana", "a duplicate the sender sent twice")
    third, _ = run(tmp_path, items=3, run_id="r3")
    assert third["exceptions"] == {"BROWSER_ERROR": 1}
    assert (third["resolved"], third["rejected"], third["done"]) == (1, 1, 1)
    ledger.close()
