"""The automatic-retry policy's decisions (pure): which earlier failures a run retries, which
wait, which are left for a person, where a retry starts, and what the summary counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bots.engine.retry_policy import Failed, choose, note, probe_first, resume_plan
from bots.engine.summary import Tally
from bots.kernel import Outcome
from bots.kernel.outcome import BUSINESS
from bots.recipe import load_recipe
from bots.recipe.model import RetryFailed

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
POLICY = RetryFailed(times=2, after_s=600)


def failed(code: str = "RETRIES_EXHAUSTED", *, minutes_ago: float = 30, retried: int = 0,
           system: bool = True, **extra: bool) -> Failed:
    return Failed(f"r/{code}-{retried}-{minutes_ago}", "key", code, system,
                  NOW - timedelta(minutes=minutes_ago), retried, **extra)


def verdict(item: Failed, policy: RetryFailed = POLICY) -> str:
    choice = choose([item], policy, NOW)
    for name in ("due", "waiting", "exhausted"):
        if item in getattr(choice, name):
            return name
    return "not the policy's"


def test_a_system_failure_old_enough_with_retries_left_is_due() -> None:
    assert verdict(failed()) == "due"
    assert verdict(failed(retried=1)) == "due"
    assert failed(retried=1).attempt == 2


def test_one_failed_moments_ago_waits_for_a_later_run() -> None:
    assert verdict(failed(minutes_ago=9)) == "waiting"
    assert verdict(failed(minutes_ago=10)) == "due"  # exactly after_s: old enough
    assert verdict(failed(minutes_ago=0), RetryFailed(times=1, after_s=0)) == "due"


def test_past_the_limit_it_is_left_for_a_person() -> None:
    assert verdict(failed(retried=2)) == "exhausted"
    assert verdict(failed(), RetryFailed(times=0)) == "exhausted"  # the policy turned off


@pytest.mark.parametrize("item", [
    failed("POLICY_MISSING", system=False),  # the data is wrong: retrying cannot change it
    failed("POSSIBLE_DUPLICATE"),  # a person must look at the target system
    failed(assigned=True),  # a person has taken it
])
def test_business_exceptions_and_a_persons_items_are_never_retried(item: Failed) -> None:
    assert verdict(item) == "not the policy's"


def test_codes_narrow_the_policy() -> None:
    policy = RetryFailed(codes=["TIMEOUT"])
    assert verdict(failed("TIMEOUT"), policy) == "due"
    assert verdict(failed("LOGIN_FAILED"), policy) == "not the policy's"


def test_a_retry_a_stopped_run_left_pending_is_finished_whatever_the_policy() -> None:
    pending = failed(retried=2, minutes_ago=0, pending=True)
    assert verdict(pending, RetryFailed(times=0)) == "due"
    assert pending.attempt == 2  # the same retry, not a third


def test_a_retry_starts_at_the_failed_step_keeping_the_outputs_before_it() -> None:
    recipe = load_recipe("claims-intake")  # claim, policy, inquiry, rules, submit
    outputs = {"claim": {"amount": "1"}, "policy": {"status": "Active"}, "inquiry": {"x": 1}}
    row = {"item_id": "claims-intake/abc", "step": "inquiry", "outputs": outputs}
    plan = resume_plan(recipe, row)
    assert plan == {"item_id": "claims-intake/abc", "from_step": "inquiry",
                    "outputs": {"claim": {"amount": "1"}, "policy": {"status": "Active"}}}
    outside = resume_plan(recipe, {**row, "step": "source"})  # failed outside any step
    assert outside["from_step"] == "claim" and outside["outputs"] == {}


def test_the_audit_note_says_which_retry_of_how_many() -> None:
    text = note(failed(retried=1), POLICY, "run123", "submit")
    assert text == ("automatic retry 2 of 2 by run run123, from step submit "
                    "(was RETRIES_EXHAUSTED)")


def test_the_summary_counts_retries_honestly() -> None:
    tally = Tally("r", "run", auto_times=2, auto_waiting=1, auto_exhausted=3)
    down = Outcome.broken("TIMEOUT", "slow")
    wrong = Outcome.broken("POLICY_MISSING", "no policy", kind=BUSINESS)
    tally.add(Outcome.done({}, {"submit": "CLM-1"}, {}), earlier=False, auto_retry=1)
    tally.add(down, earlier=False, auto_retry=1)  # one more retry to come
    tally.add(down, earlier=False, auto_retry=2)  # the last one
    tally.add(wrong, earlier=False, auto_retry=1)  # now a person's work
    tally.add(down, earlier=True)  # an earlier end, not retried here
    assert tally.auto_retry() == {"retried": 4, "done": 1, "still_open": 3, "waiting": 1,
                                  "left_for_a_person": 5}
    assert tally.summary(1.0)["auto_retry"] == tally.auto_retry()
    assert tally.application_failures() == 2  # the retries that failed again: exit 1


def test_credentials_refusals_are_probed_by_one_retry_first() -> None:
    refused = [failed("LOGIN_FAILED", minutes_ago=m) for m in (30, 40, 50)]
    other = failed("TIMEOUT")
    now, held = probe_first([refused[0], other, *refused[1:]])
    assert now == [refused[0], other] and held == refused[1:]
    pending = failed("LOGIN_FAILED", retried=1, pending=True)  # a stopped run's probe
    now, held = probe_first([*refused, pending])
    assert now == [pending] and held == refused  # it is the probe: no second sign-on


def test_a_misspelt_code_is_refused_with_the_one_meant() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="did you mean 'RETRIES_EXHAUSTED'"):
        RetryFailed(codes=["RETRIES_EXHAUSTD"])
    assert RetryFailed(codes=["MY_PLUGIN_DOWN"]).codes == ["MY_PLUGIN_DOWN"]  # a plugin's own


def test_the_closing_lines_say_what_automatic_retries_did() -> None:
    from bots.engine.progress import closing_lines

    tally = Tally("r", "run", auto_times=2, auto_waiting=1, auto_exhausted=1)
    tally.add(Outcome.done({}, {}, {}), earlier=False, auto_retry=1)
    said = closing_lines(tally.summary(1.0))
    assert ("automatic retries: 1 earlier failure(s) retried, 1 now done; 1 wait for a later "
            "run, 1 left for a person") in said
    quiet = closing_lines(Tally("r", "run").summary(1.0))
    assert not any("automatic" in line for line in quiet)  # nothing to say: nothing said


def test_older_records_without_their_kind_are_judged_by_code() -> None:
    import asyncio

    from bots.engine.auto_retry import failed_of
    from bots.engine.retry_ledger import OpenItem

    def judged(code: str, ended: dict[str, str]) -> Failed | None:
        row = {"item_id": "r/k", "item_key": "k", "code": code, "status": "exception",
               "updated_at": "2026-03-02T11:00:00.000+00:00", "assignee": None}
        return asyncio.run(failed_of(OpenItem(row, ended, 0)))

    old = judged("TIMEOUT", {})  # recorded before item.ended events: a known system code
    assert old is not None and old.system and old.ended_at == NOW - timedelta(hours=1)
    assert judged("FIELD_MISSING", {}) is None  # a business code
    told = judged("MY_PLUGIN_DOWN", {"kind": "ApplicationError",
                                     "at": "2026-03-02T11:30:00.000+00:00"})
    assert told is not None and told.ended_at == NOW - timedelta(minutes=30)
    assert judged("TIMEOUT", {"kind": BUSINESS, "at": "2026-03-02T11:30:00.000+00:00"}) is None
