"""Smoke tests of bench/overhead.py and bench/soak.py: their arithmetic on made-up runs, and
one real run of the overhead bench's recipe (no browser, a few seconds)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bench.measure import run_measured
from bench.overhead import (
    ROOT,
    Workspace,
    environment,
    item_phases,
    measure_once,
    render,
    summarise,
)
from bench.soak import render as render_soak
from bench.soak import soak_summaries


def event(name: str, at: str, **fields: object) -> str:
    return json.dumps({"event": name, "timestamp": f"2026-12-01T02:00:{at}Z", **fields})


def test_item_phases_split_a_run_into_start_steps_and_stop() -> None:
    stdout = "\n".join([
        event("run.started", "01.000000"),
        event("step.finished", "02.500000", item_id="r/1", duration_s=0.25),
        event("item.finished", "02.600000", item_id="r/1"),
        event("run.summary", "02.700000"),
    ])
    started = datetime(2026, 12, 1, 2, 0, tzinfo=UTC).timestamp()
    phases = item_phases(stdout, started, started + 3.5)
    assert phases == {"start_s": 2.5, "steps_s": 0.25, "stop_s": 0.9}


def test_summary_takes_medians_and_ratios_to_the_bare_script() -> None:
    toolkit = [{"wall_s": w, "start_s": w - 0.5, "steps_s": 0.01, "stop_s": 0.4,
                "outside_s": w - 0.01} for w in (1.0, 3.0, 2.0)]
    samples = {"bare": [{"wall_s": 0.1}, {"wall_s": 0.3}, {"wall_s": 0.2}],
               "imports": [{"wall_s": 0.8}] * 3, "first": toolkit, "again": toolkit}
    results = summarise(samples)
    assert results["medians"]["first"]["wall_s"] == 2.0
    assert results["ratios"] == {"imports": 4.0, "first": 10.0, "again": 10.0}
    table = render({**results, "repeat": 3, "machine": {"load_avg_1_5_15": [0.1, 0.1, 0.1]}})
    assert "outside the item: 1.99 s at most (aim <= 1.5 s: NOT met; +1.79 s over the bare " \
        "script)" in table


def test_the_bench_recipe_runs_one_item_in_the_real_runner(tmp_path: Path) -> None:
    space = Workspace(tmp_path)
    space.new_item()
    command, state, _project = space.command("again")
    measured = run_measured(command, env=environment(state), cwd=ROOT, kill_after_s=120)
    assert measured.summary["done"] == 1 and measured.summary["exit_code"] == 0
    phases = item_phases(measured.stdout, 0.0, 0.0)
    assert phases["steps_s"] < 1.0  # the item itself is nearly free: the rest is overhead


def test_a_measured_side_has_its_cpu_seconds(tmp_path: Path) -> None:
    sample = measure_once(Workspace(tmp_path), "bare")
    assert 0 < sample["cpu_s"] < 30 and sample["wall_s"] > 0


def test_soak_bench_reads_the_summaries_the_soak_tests_print() -> None:
    summary = {"items": 300, "done": 296, "exceptions": {"RETRIES_EXHAUSTED": 4},
               "duration_s": 150.0}
    stdout = f"noise\nsoak faults: {json.dumps(summary)}\nsoak retries by step and code: {{}}\n"
    found = soak_summaries(stdout)
    assert found == [("faults", summary)]
    assert "faults" in render_soak(found, 160.0) and " 2.00" in render_soak(found, 160.0)


def test_against_runs_the_other_checkout_in_its_own_state_and_prints_both(tmp_path: Path) -> None:
    other = tmp_path / "older"
    space = Workspace(tmp_path, ROOT, other)
    assert space.sides[-2:] == ("was-first", "was-again")
    _, now_state, now_project = space.command("again")
    _, was_state, was_project = space.command("was-again")
    assert (now_project, was_project) == (ROOT, other) and now_state != was_state
    toolkit = [{"wall_s": 1.0, "start_s": 0.8, "steps_s": 0.0, "stop_s": 0.2, "outside_s": 1.0}]
    older = [{"wall_s": 3.0, "start_s": 2.8, "steps_s": 0.0, "stop_s": 0.2, "outside_s": 3.0}]
    results = summarise({"bare": [{"wall_s": 0.2}], "imports": [{"wall_s": 0.5}],
                         "first": toolkit, "again": toolkit, "was-first": older,
                         "was-again": older})
    table = render({**results, "repeat": 1, "against": str(other),
                    "machine": {"load_avg_1_5_15": [1, 1, 1]}})
    assert "outside the item: 1.00 s at most (aim <= 1.5 s: met; +0.80 s" in table
    assert f"was ({other}): outside the item: 3.00 s at most (aim <= 1.5 s: NOT met" in table
