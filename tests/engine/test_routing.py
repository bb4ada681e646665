"""The engine's routing of step outcomes, with fake step types (pure logic) and a real ledger.

Retries happen on TransientError only, with the recipe's policy; business errors are never
retried; exhausted retries become RETRIES_EXHAUSTED; a side-effecting step with an unconfirmed
intent is decided by its check, or becomes POSSIBLE_DUPLICATE.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bots.engine.guard import Guarded
from bots.engine.resources import ResourcePool
from bots.engine.stepper import execute_step
from bots.engine.steprun import ItemState, StepRun
from bots.kernel.errors import ApplicationError, BusinessError, TransientError
from bots.ledger import Ledger
from bots.recipe import load_recipe
from tests.engine.engine_fakes import ITEM, ITEM_ID, Script


def recipe_file(tmp_path: Path, *, check: bool, first: bool = False) -> Path:
    first_text = "true" if first else "false"
    check_block = ("    check: {uses: fake.check, before_submit: " + first_text
                   + ", settle_s: 5, with: {value: '${item.ref}'}}\n") if check else ""
    text = ("recipe: test-recipe\nsource: {folder: .}\n"
            "settings: {retry: {attempts: 3, initial_s: 0, max_s: 0, jitter_s: 0}}\n"
            "steps:\n  - id: work\n    uses: fake.work\n"
            "  - id: submit\n    uses: fake.submit\n    with: {value: '${work.out}'}\n"
            + check_block)
    path = tmp_path / "test-recipe.yaml"
    path.write_text(text)
    return path


def run_step(tmp_path: Path, step_id: str, *, check: bool = False, first: bool = False,
             outputs: dict[str, Any] | None = None) -> tuple[Any, int]:
    ledger = Ledger(f"sqlite:///{tmp_path / 'state.sqlite'}")
    recipe = load_recipe(str(recipe_file(tmp_path, check=check, first=first)))
    item = ItemState(recipe, ITEM, ITEM_ID, "r1", outputs or {"work": {"out": "v"}},
                     ResourcePool(recipe).for_item(), tmp_path / "evidence", Guarded(ledger),
                     _no_sleep)
    step = next(s for s in recipe.steps if s.id == step_id)
    return asyncio.run(execute_step(StepRun(item, step)))


SLEPT: list[float] = []


async def _no_sleep(seconds: float) -> None:
    SLEPT.append(seconds)


def test_transient_error_is_retried_until_success(tmp_path, fake_steps):
    work = fake_steps("fake.work", Script(TransientError("503", code="SERVER_ERROR"), {"out": 1}))
    fake_steps("fake.submit", Script({}), side_effect=True)
    assert run_step(tmp_path, "work") == ({"out": 1}, 2)
    assert work.calls == 2


def test_business_error_is_never_retried(tmp_path, fake_steps):
    work = fake_steps("fake.work", Script(BusinessError("no policy", code="POLICY_NOT_FOUND")))
    fake_steps("fake.submit", Script({}), side_effect=True)
    with pytest.raises(BusinessError) as raised:
        run_step(tmp_path, "work")
    assert raised.value.code == "POLICY_NOT_FOUND" and work.calls == 1


def test_exhausted_retries_become_an_application_error(tmp_path, fake_steps):
    work = fake_steps("fake.work", Script(TransientError("hang", code="TIMEOUT")))
    fake_steps("fake.submit", Script({}), side_effect=True)
    with pytest.raises(ApplicationError) as raised:
        run_step(tmp_path, "work")
    assert raised.value.code == "RETRIES_EXHAUSTED"
    assert raised.value.details["last_code"] == "TIMEOUT" and work.calls == 3


def test_untranslated_exception_is_explained_not_retried(tmp_path, fake_steps):
    work = fake_steps("fake.work", Script(KeyError("surprise")))
    fake_steps("fake.submit", Script({}), side_effect=True)
    with pytest.raises(ApplicationError) as raised:
        run_step(tmp_path, "work")
    assert raised.value.code == "STEP_FAILED" and "KeyError" in raised.value.message
    assert work.calls == 1


def test_side_effect_records_intent_and_confirmation(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    submit = fake_steps("fake.submit", Script({"reference": "CLM-1"}), side_effect=True)
    assert run_step(tmp_path, "submit") == ({"reference": "CLM-1"}, 1)
    intent = Ledger(f"sqlite:///{tmp_path / 'state.sqlite'}").intent(ITEM_ID, "submit")
    assert intent is not None and intent["state"] == "confirmed" and submit.calls == 1


def test_timeout_after_submit_without_check_is_a_possible_duplicate(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    submit = fake_steps("fake.submit", Script(TransientError("lost", code="TIMEOUT")),
                        side_effect=True)
    with pytest.raises(ApplicationError) as raised:
        run_step(tmp_path, "submit", check=False)
    assert raised.value.code == "POSSIBLE_DUPLICATE" and submit.calls == 1


def test_check_that_finds_the_submission_stops_a_second_submit(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    submit = fake_steps("fake.submit", Script(TransientError("lost", code="TIMEOUT")),
                        side_effect=True)
    check = fake_steps("fake.check", Script({"found": True, "reference": "CLM-7"}))
    output, attempts = run_step(tmp_path, "submit", check=True)
    assert output == {"reference": "CLM-7", "confirmed_by_check": True}
    assert (submit.calls, check.calls, attempts) == (1, 1, 2)


def test_check_that_finds_nothing_allows_the_retry(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    submit = fake_steps("fake.submit", Script(TransientError("503", code="SERVER_ERROR"),
                                              {"reference": "CLM-8"}), side_effect=True)
    fake_steps("fake.check", Script({"found": False}))
    assert run_step(tmp_path, "submit", check=True) == ({"reference": "CLM-8"}, 2)
    assert submit.calls == 2


def test_failing_check_is_a_possible_duplicate(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    submit = fake_steps("fake.submit", Script(TransientError("lost", code="TIMEOUT")),
                        side_effect=True)
    fake_steps("fake.check", Script(TransientError("down", code="SERVER_ERROR")))
    with pytest.raises(ApplicationError) as raised:
        run_step(tmp_path, "submit", check=True)
    assert raised.value.code == "POSSIBLE_DUPLICATE" and submit.calls == 1


def test_missing_reference_value_is_a_business_error(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    submit = fake_steps("fake.submit", Script({}), side_effect=True)
    with pytest.raises(BusinessError) as raised:
        run_step(tmp_path, "submit", outputs={"work": {}})
    assert raised.value.code == "FIELD_MISSING" and submit.calls == 0


def test_last_attempt_lost_but_keyed_is_settled_by_the_check(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    submit = fake_steps("fake.submit", Script(TransientError("lost", code="TIMEOUT")),
                        side_effect=True)
    check = fake_steps("fake.check", Script({"found": False}, {"found": False},
                                            {"found": True, "reference": "CLM-9"}))
    output, attempts = run_step(tmp_path, "submit", check=True)
    assert output == {"reference": "CLM-9", "confirmed_by_check": True}
    assert (submit.calls, check.calls, attempts) == (3, 3, 3)
    intent = Ledger(f"sqlite:///{tmp_path / 'state.sqlite'}").intent(ITEM_ID, "submit")
    assert intent is not None and intent["state"] == "confirmed"


def test_last_attempt_failed_and_not_keyed_stays_retries_exhausted(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    submit = fake_steps("fake.submit", Script(TransientError("503", code="SERVER_ERROR")),
                        side_effect=True)
    check = fake_steps("fake.check", Script({"found": False}))
    with pytest.raises(ApplicationError) as raised:
        run_step(tmp_path, "submit", check=True)
    assert raised.value.code == "RETRIES_EXHAUSTED"
    assert (submit.calls, check.calls) == (3, 3)


def test_check_before_the_first_submit_settles_an_item_keyed_without_our_record(
        tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    submit = fake_steps("fake.submit", Script({"reference": "CLM-2"}), side_effect=True)
    check = fake_steps("fake.check", Script({"found": True, "reference": "CLM-1"}))
    output, attempts = run_step(tmp_path, "submit", check=True, first=True)
    assert output == {"reference": "CLM-1", "confirmed_by_check": True, "found_in_target": True}
    assert (submit.calls, check.calls, attempts) == (0, 1, 1)
    intent = Ledger(f"sqlite:///{tmp_path / 'state.sqlite'}").intent(ITEM_ID, "submit")
    assert intent is not None and intent["state"] == "confirmed"


def test_check_before_the_first_submit_that_finds_nothing_lets_it_submit(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    submit = fake_steps("fake.submit", Script({"reference": "CLM-2"}), side_effect=True)
    check = fake_steps("fake.check", Script({"found": False}))
    assert run_step(tmp_path, "submit", check=True, first=True) == ({"reference": "CLM-2"}, 1)
    assert (submit.calls, check.calls) == (1, 1)


def test_a_lost_answer_is_searched_for_only_once_it_is_settle_s_old(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    fake_steps("fake.submit", Script(TransientError("lost", code="TIMEOUT")), side_effect=True)
    fake_steps("fake.check", Script({"found": True, "reference": "CLM-7"}))
    SLEPT.clear()
    run_step(tmp_path, "submit", check=True)
    assert any(4 < seconds <= 5 for seconds in SLEPT), SLEPT
