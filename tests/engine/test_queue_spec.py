"""The recipe's queue as a run declares it: shared limits, and this worker's own limit when it is
the queue's only worker (so a full worker's poll skips DBOS's dequeue queries)."""

from __future__ import annotations

from bots.engine.durable import RESULT_POLL_S, QueueSpec, queue_spec
from bots.recipe import load_recipe


def test_a_shared_queue_sets_no_limit_per_worker() -> None:
    spec = queue_spec(load_recipe("claims-intake"), ahead=False)
    assert spec == QueueSpec("bots-claims-intake", 2, {"limit": 20, "period": 1})


def test_a_sole_worker_of_a_rate_limited_queue_takes_no_item_ahead_but_limits_itself() -> None:
    spec = queue_spec(load_recipe("claims-intake"), 3, ahead=True)
    assert (spec.concurrency, spec.per_worker, spec.poll_s) == (3, 3, RESULT_POLL_S)
    assert spec.limiter == {"limit": 20, "period": 1}


def test_a_sole_worker_without_a_rate_limit_takes_one_item_ahead() -> None:
    spec = queue_spec(load_recipe("form-challenge"), ahead=True)
    assert (spec.concurrency, spec.per_worker, spec.limiter) == (2, 2, None)
    assert spec.poll_s == RESULT_POLL_S * 2
