"""Smoke tests that keep the benchmark code from rotting: no browser, no app, well under 5 s."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.baseline import external_ref, inbox
from bench.baseline_pdf import (
    ClaimRejected,
    check_policy,
    check_rules,
    extract_claim,
    load_policies,
)
from bench.report import medians, ratios, render, sample_metrics
from bench.run_bench import CLAIMS, FILES, phase_times

CLAIMS_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "claims"
POLICIES = CLAIMS_DIR.parent / "policies.xlsx"


def expected_fields(name: str) -> dict[str, str]:
    golden = json.loads((CLAIMS_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))
    return {key: value for key, value in golden["fields"].items() if key != "_layout"}


@pytest.mark.parametrize("name", ["claim-01-acme-water.pdf", "claim-04-northwind-itemized.pdf",
                                  "claim-05-harbor-fire.pdf"])
def test_baseline_extracts_what_the_golden_file_says(name: str) -> None:
    assert extract_claim(CLAIMS_DIR / name) == expected_fields(name)


@pytest.mark.parametrize(("name", "code"), [("claim-15-empty.pdf", "EMPTY_FILE"),
                                            ("claim-18-bluebird.pdf", "UNKNOWN_LAYOUT")])
def test_baseline_rejects_files_it_cannot_key(name: str, code: str) -> None:
    with pytest.raises(ClaimRejected) as rejected:
        extract_claim(CLAIMS_DIR / name)
    assert rejected.value.code == code


def test_baseline_policy_rules_refuse_an_amount_over_the_limit() -> None:
    claim = extract_claim(CLAIMS_DIR / "claim-10-acme-over-limit.pdf")
    policy = check_policy(claim, load_policies(POLICIES))
    with pytest.raises(ClaimRejected) as rejected:
        check_rules(claim, policy)
    assert rejected.value.code == "AMOUNT_OVER_LIMIT"


def test_baseline_sees_the_same_inbox_and_references_as_the_recipe() -> None:
    files = inbox(CLAIMS_DIR)
    assert len(files) == FILES
    assert external_ref(files[0]) == "BOT-97C349B550"  # the toolkit's ref for claim-01


def test_report_renders_medians_ratios_and_phases() -> None:
    runs: dict[str, dict[str, Any]] = {}
    for side, seconds in (("baseline", 9.0), ("toolkit", 18.0)):
        summary = {"items": FILES, "done": CLAIMS, "duration_s": seconds,
                   "phases_s": {"pdf_and_sheet": 1.0, "web": 7.0}}
        sample = sample_metrics(summary, seconds + 1, 700.0, 150.0)
        sample["phases_s"] = phase_times("baseline", summary, "")
        runs[f"{side}-c1"] = {"side": side, "concurrency": 1, "samples": [sample],
                              "median": medians([sample])}
    machine = {"cores": 2, "usable_cores": 2, "mem_total_mb": 1, "python": "3",
               "load_avg_1_5_15": [0, 0, 0], "browser": "b", "playwright": "p",
               "browser_version": "Chromium 1", "dbos": "d"}
    results: dict[str, Any] = {
        "machine": machine, "settings": {"files": FILES, "claims": CLAIMS, "repeat": 1},
        "runs": runs,
        "ratios": ratios(runs["toolkit-c1"]["median"], runs["baseline-c1"]["median"])}
    text = render(results)
    assert results["ratios"]["s_per_item"] == 2.0
    assert "2.00x" in text and "outside 1.00" in text
