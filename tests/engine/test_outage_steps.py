"""Riding out an outage through the stepper, with fake step types and a real ledger.

The recipe's `settings.outage` reaches the step's retries; a side-effect step's probes still go
through the guard (intent, check), so a re-try after an outage never submits blindly; another
item's success ends the outage for everyone.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from structlog.testing import capture_logs

from bots.engine.guard import Guarded
from bots.engine.outage import OutageGate
from bots.engine.resources import ResourcePool
from bots.engine.stepper import execute_step
from bots.engine.steprun import ItemState, StepRun
from bots.kernel.errors import ApplicationError, TransientError
from bots.ledger import Ledger
from bots.recipe import Recipe, load_recipe
from tests.engine.engine_fakes import ITEM, ITEM_ID, Script
from tests.engine.test_outage_gate import FakeTime

RECIPE = """\
recipe: test-recipe
source: {folder: .}
settings:
  retry: {attempts: 2, initial_s: 0, max_s: 0, jitter_s: 0}
  outage: {wait_s: 30, probe_s: 5}
steps:
  - {id: work, uses: fake.work}
  - id: submit
    uses: fake.submit
    check: {uses: fake.check, with: {value: '${item.ref}'}, before_submit: false, settle_s: 0}
"""
DOWN = TransientError("503", code="SERVER_ERROR")


def recipe(tmp_path: Path) -> Recipe:
    path = tmp_path / "test-recipe.yaml"
    path.write_text(RECIPE)
    return load_recipe(str(path))


def item_state(tmp_path: Path, time: FakeTime) -> tuple[ItemState, OutageGate]:
    """One item of the recipe (its fake step types registered first) and the recipe's gate."""
    loaded = recipe(tmp_path)
    gate = OutageGate(loaded.model.settings.outage, clock=time.clock)
    ledger = Ledger(f"sqlite:///{tmp_path / 'state.sqlite'}")
    return ItemState(loaded, ITEM, ITEM_ID, "r1", {}, ResourcePool(loaded).for_item(),
                     tmp_path / "evidence", Guarded(ledger), time.sleep, gate), gate


def run_step(state: ItemState, step_id: str) -> tuple[Any, int]:
    step = next(s for s in state.recipe.steps if s.id == step_id)
    return asyncio.run(execute_step(StepRun(state, step)))


def test_the_recipe_setting_reaches_the_retries(tmp_path, fake_steps):
    time = FakeTime()
    work = fake_steps("fake.work", Script(DOWN))
    fake_steps("fake.submit", Script({}), side_effect=True)
    fake_steps("fake.check", Script({"found": False}))
    state, _ = item_state(tmp_path, time)
    with pytest.raises(ApplicationError) as raised:
        run_step(state, "work")
    assert raised.value.code == "RETRIES_EXHAUSTED" and time.now == 30
    assert work.calls == 2 + 6  # two tries, then a probe every 5 s for 30 s


def test_a_side_effect_step_rides_out_through_the_guard(tmp_path, fake_steps):
    time = FakeTime()
    fake_steps("fake.work", Script({}))
    submit = fake_steps("fake.submit", Script(DOWN, DOWN, DOWN, {"reference": "CLM-1"}),
                        side_effect=True)
    check = fake_steps("fake.check", Script({"found": False}))
    state, _ = item_state(tmp_path, time)
    assert run_step(state, "submit") == ({"reference": "CLM-1"}, 4)
    assert check.calls == submit.calls - 1, "a re-try skipped the guard's check"
    intent = Ledger(f"sqlite:///{tmp_path / 'state.sqlite'}").intent(ITEM_ID, "submit")
    assert intent is not None and intent["state"] == "confirmed"


def test_another_items_success_ends_the_outage_for_everyone(tmp_path, fake_steps):
    time = FakeTime()
    fake_steps("fake.work", Script({"out": 1}))
    fake_steps("fake.submit", Script({}), side_effect=True)
    fake_steps("fake.check", Script({"found": False}))
    state, gate = item_state(tmp_path, time)
    gate.join("test-recipe/other", "work", "SERVER_ERROR")  # another item waits at `work`
    with capture_logs() as logs:
        assert run_step(state, "work") == ({"out": 1}, 1)
    [ended] = [log for log in logs if log["event"] == "outage.ended"]
    assert ended["recovered"] and gate.opened_at is None


def test_without_a_gate_an_item_fails_when_its_retries_run_out(tmp_path, fake_steps):
    time = FakeTime()
    work = fake_steps("fake.work", Script(DOWN))
    fake_steps("fake.submit", Script({}), side_effect=True)
    fake_steps("fake.check", Script({"found": False}))
    state, _ = item_state(tmp_path, time)
    state.outage = None
    with pytest.raises(ApplicationError) as raised:
        run_step(state, "work")
    assert raised.value.code == "RETRIES_EXHAUSTED" and work.calls == 2 and time.now == 0
