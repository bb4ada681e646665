"""The item boundary with fake step and resource types (pure logic) on a real ledger and DBOS.

Every way an item can end is one Outcome, recorded in the ledger: done with its references, a
step's exception with its code, a resource that fails to open, a failure outside any step. The
resources a step declares are opened for it, asked for evidence when it fails, reset before a
retry, and released when the item ends (kept only when it ended done).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bots.engine.book import LedgerBook
from bots.engine.boundary import ItemRun
from bots.engine.durable import durable
from bots.engine.enqueue import Queued, outcome_of
from bots.engine.host import Host, hosting
from bots.kernel import BusinessError, Outcome, TransientError
from bots.ledger import Ledger
from bots.recipe import load_recipe
from tests.engine.engine_fakes import ITEM, ITEM_ID, Script

RECIPE = """\
recipe: test-recipe
source: {folder: .}
settings: {retry: {attempts: 2, initial_s: 0, max_s: 0, jitter_s: 0}}
steps:
  - {id: work, uses: fake.work}
  - {id: submit, uses: fake.submit, with: {value: 'out ${work.out}'}}
"""


async def _no_sleep(_seconds: float) -> None:
    return None


def run_item(tmp_path: Path, book: LedgerBook | None = None) -> tuple[Outcome, dict[str, Any]]:
    """One item through the boundary; its outcome and its ledger row."""
    path = tmp_path / "test-recipe.yaml"
    path.write_text(RECIPE)
    recipe = load_recipe(str(path))
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    ledger = Ledger(url)
    book = book or LedgerBook(ledger)
    book.queued(ITEM_ID, recipe, ITEM, "r1")
    host = Host("r1", tmp_path, book, {recipe.name: recipe}, sleep=_no_sleep)

    async def run() -> Outcome:
        async with durable(url) as worker, hosting(host, worker.lease):
            return await ItemRun(host, recipe, ITEM, ITEM_ID, {}).run()

    try:
        outcome = asyncio.run(run())
        row = ledger.item(ITEM_ID)
    finally:
        ledger.close()
    assert row is not None
    return outcome, row


def test_a_done_item_has_its_references_values_and_provenance(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 7, "_provenance": {"out": {"page": 1}}}))
    fake_steps("fake.submit", Script({"reference": "CLM-1"}), side_effect=True)
    outcome, row = run_item(tmp_path)
    assert outcome.is_done and outcome.reference == "CLM-1"
    assert outcome.references == {"submit": "CLM-1"} and outcome.attempts == {"work": 1,
                                                                                "submit": 1}
    assert outcome.values == {"work": {"out": 7}, "submit": {"reference": "CLM-1"}}
    assert outcome.provenance == {"work": {"out": {"page": 1}}}
    assert (row["status"], row["reference"], row["values"]["work"]) == ("done", "CLM-1",
                                                                       {"out": 7})


def test_a_business_error_ends_the_item_with_its_code(tmp_path, fake_steps):
    fake_steps("fake.work", Script(BusinessError("no policy", code="POLICY_NOT_FOUND")))
    submit = fake_steps("fake.submit", Script({}), side_effect=True)
    outcome, row = run_item(tmp_path)
    assert (outcome.status, outcome.code, outcome.kind, outcome.step) == (
        "exception", "POLICY_NOT_FOUND", "BusinessError", "work")
    assert not outcome.is_system_failure and submit.calls == 0
    assert (row["status"], row["code"], row["step"]) == ("exception", "POLICY_NOT_FOUND", "work")


def test_a_resource_is_opened_for_its_step_asked_for_evidence_and_released(
        tmp_path, fake_steps, fake_resource):
    journal: list[str] = []
    fake_resource(journal)
    fake_steps("fake.work", Script(TransientError("503", code="SERVER_ERROR"), {"out": 1}),
               needs=("fake",))
    fake_steps("fake.submit", Script(BusinessError("refused", code="VALIDATION_REJECTED")),
               side_effect=True, needs=("fake",))
    outcome, row = run_item(tmp_path)
    assert journal == ["r1:evidence:work-attempt1", "r1:reset",
                       "r1:evidence:submit-attempt1", "r1:reset", "r1:release:not done",
                       "stopped"]
    assert outcome.code == "VALIDATION_REJECTED"
    assert row["evidence"]["screenshot"].endswith("submit-attempt1.png")


def test_a_done_item_releases_its_resource_as_done(tmp_path, fake_steps, fake_resource):
    journal: list[str] = []
    fake_resource(journal)
    fake_steps("fake.work", Script({"out": 1}), needs=("fake",))
    fake_steps("fake.submit", Script({"reference": "CLM-2"}), side_effect=True)
    outcome, _ = run_item(tmp_path)
    assert outcome.is_done and journal == ["r1:release:done", "stopped"]


def test_a_batch_resource_is_shared_and_released_once_at_the_end(tmp_path, fake_steps,
                                                                  fake_resource):
    journal: list[str] = []
    provider = fake_resource(journal, scope="batch")
    fake_steps("fake.work", Script({"out": 1}), needs=("fake",))
    fake_steps("fake.submit", Script({"reference": "CLM-3"}), side_effect=True,
               needs=("fake",))
    outcome, _ = run_item(tmp_path)
    assert outcome.is_done and provider.opened == 1
    assert journal == ["r1:release:not done", "stopped"]  # by the pool, not by the item


def test_a_resource_that_fails_to_open_is_an_exception_not_a_running_item(
        tmp_path, fake_steps, fake_resource):
    fake_resource([], fail=RuntimeError("no such device"))
    work = fake_steps("fake.work", Script({"out": 1}), needs=("fake",))
    fake_steps("fake.submit", Script({}), side_effect=True)
    outcome, row = run_item(tmp_path)
    assert (outcome.code, outcome.step, work.calls) == ("STEP_FAILED", "work", 0)
    assert "no such device" in outcome.message and outcome.is_system_failure
    assert row["status"] == "exception"


class BrokenBook(LedgerBook):
    """A record that fails while the item runs (a disk full, say)."""

    def progressed(self, item_id: str, outputs: dict[str, Any]) -> None:
        raise OSError("disk full")


def test_a_failure_outside_any_step_is_still_an_outcome(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    submit = fake_steps("fake.submit", Script({}), side_effect=True)
    ledger = Ledger(f"sqlite:///{tmp_path / 'state.sqlite'}")
    outcome, row = run_item(tmp_path, BrokenBook(ledger))
    ledger.close()
    assert (outcome.code, outcome.step, submit.calls) == ("STEP_FAILED", "work", 0)
    assert "disk full" in outcome.message and row["status"] == "exception"


class RaisingHandle:
    """The handle of a workflow that raised in an earlier run (an older version, say)."""

    async def get_result(self, *, polling_interval_sec: float) -> Any:
        raise RuntimeError("ValidationError: base_url")


def test_a_workflow_that_raised_earlier_is_settled_as_an_exception(tmp_path, fake_steps):
    fake_steps("fake.work", Script({}))
    fake_steps("fake.submit", Script({}), side_effect=True)
    path = tmp_path / "test-recipe.yaml"
    path.write_text(RECIPE)
    ledger = Ledger(f"sqlite:///{tmp_path / 'state.sqlite'}")
    book = LedgerBook(ledger)
    recipe = load_recipe(str(path))
    book.queued(ITEM_ID, recipe, ITEM, "r0")
    book.started(ITEM_ID, "r0")  # what the earlier run left: `running` for ever
    host = Host("r1", tmp_path, book)
    queued = Queued(ITEM_ID, ITEM, RaisingHandle(), earlier=True)  # type: ignore[arg-type]
    outcome = asyncio.run(outcome_of(queued, host))
    row = ledger.item(ITEM_ID)
    ledger.close()
    assert outcome.code == "STEP_FAILED" and "base_url" in outcome.message
    assert row is not None and (row["status"], row["code"]) == ("exception", "STEP_FAILED")


@pytest.mark.parametrize("data", [
    Outcome.done({"a": {"x": 1}}, {"a": "R-1"}, {"a": 1}).as_data(),
    {"status": "exception", "code": "X", "kind": "BusinessError", "message": "m", "step": "s",
     "details": {"evidence": {"url": "u"}}, "outputs": {"s": {"v": 1}}},  # an older result
])
def test_an_outcome_crosses_a_process_boundary_as_data(data):
    outcome = Outcome.from_data(data)
    assert Outcome.from_data(outcome.as_data()) == outcome
    assert outcome.as_data()["reference"] == (data.get("reference") or None)
