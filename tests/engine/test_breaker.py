"""The breaker tells a target that is down (exit 75) from a recipe that does not match its
screens (exit 2): screen mismatches never count as "down"."""

from __future__ import annotations

from bots.engine.breaker import Breaker
from bots.engine.summary import EXIT_RECIPE, EXIT_TEMPFAIL, Tally
from bots.kernel import Outcome
from bots.kernel.outcome import BUSINESS

MISMATCH = Outcome.broken("SCREEN_MISMATCH", "No field labelled 'Policy Number'")
DOWN = Outcome.broken("RETRIES_EXHAUSTED", "503 four times")
DONE = Outcome.done({}, {}, {})


def test_screen_mismatches_in_a_row_trip_as_a_recipe_problem_never_as_down():
    breaker = Breaker(limit=2)
    assert [breaker.record(o) for o in (MISMATCH, MISMATCH, MISMATCH)] == [False, False, True]
    assert breaker.tripped == "screen" and breaker.streak == 0


def test_a_matching_item_resets_the_screen_streak():
    breaker = Breaker(limit=5)
    for outcome in (MISMATCH, MISMATCH, DONE, MISMATCH, MISMATCH):
        assert not breaker.record(outcome)
    assert breaker.tripped is None
    assert not breaker.record(Outcome.broken("POLICY_LAPSED", "lapsed", kind=BUSINESS))


def test_system_failures_still_trip_as_down():
    breaker = Breaker(limit=2)
    assert [breaker.record(o) for o in (DOWN, MISMATCH, DOWN)] == [False, False, True]
    assert breaker.tripped == "down"


def test_the_exit_code_says_which():
    tally = Tally("r", "run")
    tally.halted, tally.halted_by = True, "screen"
    assert tally.exit_code() == EXIT_RECIPE
    tally.halted_by = "down"
    assert tally.exit_code() == EXIT_TEMPFAIL
