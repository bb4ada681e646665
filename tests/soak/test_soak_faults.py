"""Soak: a batch of claims through the real runner while everything that can go wrong does.

The legacy app answers slowly, fails requests with a 503, hangs some past the step timeout,
drops the session of others (mid-form too), expires idle sessions within seconds, and loses the
response of one committed submit in four, which only the recipe's check (a search by external
reference) can settle; Chromium pages crash at random (BOTS_CHAOS crash_rate). Every item must
end done or as an exception with a code, the legacy database must hold each done claim exactly
once and nothing else, and every fault kind must have happened (read from the run's log and the
ledger), so that a small batch cannot pass without the faults biting.

One run proves all of it (it was two: a faults soak and a lost-responses soak). SOAK_CLAIMS
sets its size: the suite runs 24, at fault rates high enough that every fault bites in a batch
that size; the big version (300 claims, the same rates) is `python -m bench.soak`, its figures
in bench/README.md.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bots.engine.summary import EXIT_APPLICATION, EXIT_OK
from fixtures.make_soak import write_claims
from tests.soak.soak_support import assert_ledger_matches_app, keyed_refs, run_runner, write_recipe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COUNT = int(os.environ.get("SOAK_CLAIMS", "24"))
# A submit retried after a fault fills its whole form again, so 24 claims make some 400
# requests: on average about 12 503s, 6 hangs and 12 expired sessions (a passing run at load
# 25 saw 16, 6 and 10, with 7 page crashes and 6 lost responses), so the chance that one kind
# never happens is below e**-6 ≈ 1 in 400 (hangs, the rarest). Higher rates fail items by
# exhausting six retries (a run at 0.05/0.03/0.04 left 6 of 24 as RETRIES_EXHAUSTED). Lost
# responses: 24 submits at 0.25 each, none lost with a chance of 0.75**24 ≈ 1 in 1,000.
# The app's random generator is seeded, so the run is nearly repeatable (only the
# interleaving of four items varies). The app touches a session when a request's handler
# starts (after the latency): a session also expires when two requests of one item are more
# than session_idle_s apart; at 2 s a machine at load 30 expired nearly every submit (25
# SESSION_EXPIRED retries in the first 4 items, which ran out of retries), so idle expiry is
# rarer here and expire_rate (random, blind to load) a little higher.
FAULTS = {"latency_ms": 30, "error_rate": 0.03, "hang_rate": 0.015, "hang_s": 12,
          "expire_rate": 0.03, "session_idle_s": 6, "lose_response_rate": 0.25,
          "seed": 20261122}
# Pages are opened one per worker and again after each crash or expired session (some 20
# here), each drawing from the runner's random generator seeded 7: at 0.1 the 4th, 6th, 7th
# and 8th pages crash (random.Random(7) draws), so crashes are due as soon as the four
# workers have opened their pages; a crash within a step shows as a BROWSER_ERROR retry of
# that step (0.2 gave 32 such retries, too many for six attempts).
CHAOS = "crash_rate=0.1,seed=7"
SETTINGS = {
    "concurrency": 4,
    # below hang_s, so a hung request is a step timeout; at 5 s a machine at load 30 timed
    # out 32 steps where 5 hangs were due, and 6 of 24 items ran out of retries
    "step_timeout_s": 10,
    "rate_limit": {"limit": 50, "period_s": 1},
    "retry": {"attempts": 6, "initial_s": 0.1, "max_s": 0.5, "multiplier": 2, "jitter_s": 0.1},
    "outage": {"wait_s": 20, "probe_s": 0.5},  # a run of unlucky retries costs seconds, not 60
}  # the circuit breaker keeps the recipe's default (5 items in a row)
RUN_LIMIT_S = 1500
DONE_AT_LEAST = 0.9  # of the items: faults are transient, retries must win nearly always
FAULTS_OFF = {"error_rate": 0, "hang_rate": 0, "latency_ms": 0, "lose_response_rate": 0,
              "expire_rate": 0}


def soak(app, tmp_path: Path, count: int) -> tuple[dict[str, Any], Path, Path]:
    """Run `count` generated claims under the faults; (summary, state folder, inbox)."""
    inbox = tmp_path / "inbox"
    write_claims(inbox, count)
    recipe = write_recipe(tmp_path, inbox, **SETTINGS)
    state = tmp_path / "state"
    app.set_faults(**FAULTS)
    try:
        result = run_runner(app, state, recipe, chaos=CHAOS, timeout=RUN_LIMIT_S)
    finally:
        app.set_faults(**FAULTS_OFF)
    assert result.returncode in (EXIT_OK, EXIT_APPLICATION), (
        f"exit {result.returncode}: {result.stderr[-3000:]}")
    summary = result.summary
    print(f"soak faults: {json.dumps(summary)}")
    print("soak faults seen:", json.dumps(faults_seen(Path(summary["log_file"]))))
    return summary, state, inbox


def log_events(log_file: Path) -> list[dict[str, Any]]:
    """The run's JSON log, one dict per event."""
    return [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]


def faults_seen(log_file: Path) -> Counter[str]:
    """How often each fault showed in the run's log: the steps' retries, by error code."""
    return Counter(event["code"] for event in log_events(log_file)
                   if event.get("event") == "step.retry")


def assert_every_item_accounted_for(summary: dict[str, Any], items: dict[str, Any],
                                    count: int) -> None:
    """`count` items, each done or an exception with a code, and nearly all of them done."""
    assert summary["items"] == count
    assert summary["done"] + sum(summary["exceptions"].values()) == count, summary
    assert summary["not_finished"] == 0 and not summary["halted"], summary
    uncoded = [name for name, row in items.items()
               if row["status"] == "exception" and not row["code"]]
    assert not uncoded, f"exceptions without a code: {uncoded}"
    assert summary["done"] >= DONE_AT_LEAST * count, summary


def assert_lost_responses_settled(app, items: dict[str, Any]) -> None:
    """Each done item's reference is the one the app gave, and some were settled by the check."""
    done = [row for row in items.values() if row["status"] == "done"]
    assert len(done) == len(app.claims()) == sum(keyed_refs(app).values())
    by_reference = {claim["reference"] for claim in app.claims()}
    assert {row["reference"] for row in done} == by_reference, \
        "the ledger's claim references are not the ones the legacy app gave"
    settled = [row for row in done if row["outputs"]["submit"].get("confirmed_by_check")]
    assert settled, "no lost response was settled by the check: the fault did not bite"
    print(f"soak: {len(settled)} submits settled by the check after a lost response")


def test_soak_under_faults_crashes_and_lost_responses_keys_each_claim_once(app, tmp_path):
    summary, state, inbox = soak(app, tmp_path, COUNT)
    items = assert_ledger_matches_app(app, state, inbox)
    assert_every_item_accounted_for(summary, items, COUNT)
    seen = faults_seen(Path(summary["log_file"]))
    wanted = {"SERVER_ERROR", "TIMEOUT", "SESSION_EXPIRED", "BROWSER_ERROR"}
    assert wanted <= set(seen), f"the faults did not all bite: {dict(seen)}"
    assert_lost_responses_settled(app, items)
