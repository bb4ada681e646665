"""Honest outcomes around a side effect: a failure before the submit is no duplicate risk, and a
submit through a re-found (healed) control counts only when the step's check proves it."""

from __future__ import annotations

from typing import Any

import pytest

from bots.kernel.errors import ApplicationError, TransientError
from bots.ledger import Ledger
from tests.engine.engine_fakes import ITEM_ID, Script
from tests.engine.test_routing import run_step


class Submitting(Script):
    """A fake side-effect step that says it submits before failing or answering."""

    def __call__(self, params: Any, ctx: Any) -> Any:
        ctx.submitting()
        return super().__call__(params, ctx)


class Spy(Script):
    """A fake step that notes whether it was allowed to heal."""

    def __init__(self, *results: Any) -> None:
        super().__init__(*results)
        self.heal: list[bool] = []

    def __call__(self, params: Any, ctx: Any) -> Any:
        self.heal.append(ctx.heal)
        return super().__call__(params, ctx)


def intent_of(tmp_path) -> dict[str, Any] | None:
    return Ledger(f"sqlite:///{tmp_path / 'state.sqlite'}").intent(ITEM_ID, "submit")


def test_a_timeout_before_the_submit_is_retried_and_never_a_possible_duplicate(tmp_path,
                                                                               fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    submit = fake_steps("fake.submit", Script(TransientError("Start timed out", code="TIMEOUT")),
                        side_effect=True, marks_submit=True)
    with pytest.raises(ApplicationError) as raised:
        run_step(tmp_path, "submit", check=False)
    assert raised.value.code == "RETRIES_EXHAUSTED" and submit.calls == 3
    assert intent_of(tmp_path) is None  # nothing reached the other system


def test_a_timeout_after_the_submit_still_needs_the_check(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    submit = fake_steps("fake.submit", Submitting(TransientError("lost", code="TIMEOUT")),
                        side_effect=True, marks_submit=True)
    with pytest.raises(ApplicationError) as raised:
        run_step(tmp_path, "submit", check=False)
    assert raised.value.code == "POSSIBLE_DUPLICATE" and submit.calls == 1


def test_a_healed_submit_that_the_check_finds_is_done(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    healed = {"reference": "CLM-9", "_healed": [{"what": "field", "name": "Policy Number"}]}
    fake_steps("fake.submit", Submitting(healed), side_effect=True, marks_submit=True)
    check = fake_steps("fake.check", Script({"found": True, "reference": "CLM-9"}))
    output, _ = run_step(tmp_path, "submit", check=True)
    assert output["reference"] == "CLM-9" and check.calls == 1


@pytest.mark.parametrize("verdict", [{"found": False}, {"found": True, "reference": "CLM-1"},
                                     TransientError("down", code="SERVER_ERROR")])
def test_a_healed_submit_the_check_does_not_prove_goes_to_a_person(tmp_path, fake_steps,
                                                                   verdict):
    fake_steps("fake.work", Script({"out": 1}))
    healed = {"reference": "CLM-9", "_healed": [{"what": "field", "name": "Policy Number"}]}
    submit = fake_steps("fake.submit", Submitting(healed), side_effect=True, marks_submit=True)
    fake_steps("fake.check", Script(verdict))
    with pytest.raises(ApplicationError) as raised:
        run_step(tmp_path, "submit", check=True)
    assert raised.value.code == "HEAL_UNPROVEN" and submit.calls == 1
    assert "Policy Number" in raised.value.message
    intent = intent_of(tmp_path)  # it did submit: a retry must never key it again
    assert intent is not None and intent["state"] == "confirmed"


def test_a_side_effect_without_a_check_may_not_heal(tmp_path, fake_steps):
    fake_steps("fake.work", Script({"out": 1}))
    spy = fake_steps("fake.submit", Spy({"reference": "CLM-2"}), side_effect=True)
    run_step(tmp_path, "submit", check=False)
    fake_steps("fake.check", Script({"found": False}))
    second = tmp_path / "with-check"
    second.mkdir()
    run_step(second, "submit", check=True)
    assert spy.heal == [False, True]
