"""The single-page form bench: its summary on made-up samples, and one real quick run.

The real run drives the practice app with the form-challenge recipe and the bare Playwright
baseline once each; it checks the work (10 rows, 70 of 70) and the printed ratio, never a time.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bench import run_bench, spa_form
from bench.measure import first_row_extra


def sample(duration: float) -> dict[str, Any]:
    return {"duration_s": duration, "wall_s": duration + 1.0, "tree_peak_mb": 400.0,
            "phases_s": {"key_row": duration / 2, "outside": duration / 2}}


def test_summary_takes_medians_and_the_toolkit_over_baseline_ratio():
    samples = {"baseline": [sample(2.0), sample(9.0), sample(2.2)],
               "toolkit": [sample(2.4), sample(2.5), sample(30.0)]}
    results = spa_form.summarise(samples)
    assert results["medians"]["baseline"]["duration_s"] == 2.2
    assert results["medians"]["toolkit"]["duration_s"] == 2.5
    assert results["ratios"]["duration_s"] == round(2.5 / 2.2, 2)
    shown = spa_form.render({**results, "repeat": 3, "machine": {"load_avg_1_5_15": [1, 1, 1]}})
    assert "toolkit/baseline run-time ratio: 1.14 (aim <= 1.2)" in shown
    assert "toolkit seconds by step: key_row 1.25, outside 1.25" in shown


def test_the_first_rows_extra_is_its_time_less_a_later_rows_median():
    def finished(at_ms: int) -> str:
        stamp = f"2026-12-01T10:00:{at_ms // 1000:02d}.{at_ms % 1000:03d}Z"
        return json.dumps({"event": "step.finished", "step_id": "x", "timestamp": stamp})
    # before_items ends at 0; rows end at 350, 550, 760, 960; after_items at 970
    log = "\n".join(["not json", *(finished(t) for t in (0, 350, 550, 760, 960, 970))])
    extra = first_row_extra(log)
    assert extra is not None and round(extra * 1000) == 350 - 200
    assert first_row_extra(finished(0) + "\n" + finished(10)) is None


@pytest.mark.browser
def test_one_quick_run_of_each_side_prints_the_ratio(tmp_path, capsys):
    out = tmp_path / "spa.json"
    assert run_bench.main(["--spa-form", "--repeat", "1", "--no-warmup", "--out", str(out)]) == 0
    results = json.loads(out.read_text())
    assert set(results["samples"]) == {"baseline", "toolkit"}
    assert results["ratios"]["duration_s"] > 0
    assert "key_row" in results["toolkit_phases_s"]  # the recipe's step, from its log
    assert results["first_row_extra_s"] is not None
    assert "toolkit/baseline run-time ratio:" in capsys.readouterr().out
