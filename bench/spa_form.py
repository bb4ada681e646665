"""Benchmark the single-page form challenge: the form-challenge recipe against bare Playwright.

    .venv/bin/python -m bench.spa_form [--repeat N] [--out FILE]

One practice app serves every run; before each run its rows are forgotten (reset) and the
runner gets a fresh state folder, so every run keys all ten rows. Both sides are subprocesses
with the same Chromium and switches: ``runner.py form-challenge`` (session: batch) and
``python -m bench.spa_baseline``. Runs alternate (baseline, toolkit, baseline, ...) so that load
from other processes hits both alike. After each run the app must hold ten rows, 70 of 70
fields right, or the bench stops: a faster run that keyed less would compare nothing. The
ratio toolkit/baseline of the medians is printed (aim: at most 1.2); no time is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/spa_form.py` as well as `python -m bench.spa_form`
    sys.path.insert(0, str(ROOT))

from bench.measure import (  # noqa: E402
    MeasureError,
    first_row_extra,
    run_measured,
    step_totals,
)
from bench.report import machine_facts, publish  # noqa: E402
from fixtures.practice_app import PracticeApp, launch  # noqa: E402

ROWS, FIELDS = 10, 70
SIDES = ("baseline", "toolkit")
METRICS = ("duration_s", "wall_s", "tree_peak_mb")
DROPPED_ENV = ("BOTS_DATABASE_URL", "BOTS_HEADED", "BOTS_BROWSER", "BOTS_CHAOS")
DEFAULT_OUT = ROOT / "state" / "bench" / "spa_form.json"
CREDENTIALS = {"PRACTICE_USER": "bench.buyer", "PRACTICE_PASSWORD": "bench-practice"}


class SpaBenchError(RuntimeError):
    """A run did not key the ten rows right, so its time would compare different work."""


def command_for(side: str) -> list[str]:
    if side == "baseline":
        return [sys.executable, "-m", "bench.spa_baseline"]
    return [sys.executable, "runner.py", "form-challenge"]


def environment(app: PracticeApp, state: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in DROPPED_ENV}
    return {**env, **CREDENTIALS, "PRACTICE_URL": app.url, "BOTS_STATE_DIR": str(state),
            "BOTS_ISOLATE_NETWORK": "1", "PYTHONUNBUFFERED": "1"}


def check_work(side: str, summary: dict[str, Any], app: PracticeApp) -> None:
    """SpaBenchError unless the run reported ten rows done and the app scored them 70/70."""
    rows = app.challenge_rows()
    matched = sum(row["matched"] for row in rows)
    if summary.get("done") != ROWS or len(rows) != ROWS or matched != FIELDS:
        raise SpaBenchError(f"{side}: expected {ROWS} rows done and {FIELDS} fields right, got "
                            f"done={summary.get('done')}, {len(rows)} rows in the app, "
                            f"{matched} fields right")


def measure_once(app: PracticeApp, side: str) -> dict[str, Any]:
    """One measured run on a reset app and a fresh state folder; the toolkit's step seconds."""
    app.reset()
    with tempfile.TemporaryDirectory(prefix="spa-bench-") as state:
        measured = run_measured(command_for(side), cwd=ROOT, env=environment(app, Path(state)),
                                kill_after_s=300)
    check_work(side, measured.summary, app)
    duration = float(measured.summary["duration_s"])
    phases = step_totals(measured.stdout) if side == "toolkit" else {}
    if phases:
        phases["outside"] = duration - sum(phases.values())  # start-up, queueing, bookkeeping
    extra = first_row_extra(measured.stdout) if side == "toolkit" else None
    return {"duration_s": duration, "wall_s": round(measured.wall_s, 3),
            "tree_peak_mb": round(measured.tree_peak_mb, 1),
            "first_row_extra_s": None if extra is None else round(extra, 3),
            "phases_s": {name: round(seconds, 3) for name, seconds in phases.items()}}


def run_all(repeat: int, warmup: bool) -> dict[str, list[dict[str, Any]]]:
    """Each side ``repeat`` times, alternating; a first unmeasured toolkit run warms caches."""
    samples: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    with launch(env=CREDENTIALS) as app:
        if warmup:
            _say("warm-up run (not measured): toolkit")
            measure_once(app, "toolkit")
        for number in range(1, repeat + 1):
            for side in SIDES:
                _say(f"repeat {number}/{repeat}: {side}")
                samples[side].append(measure_once(app, side))
    return samples


def summarise(samples: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Medians per side, the toolkit/baseline ratio of each, and the toolkit's step seconds."""
    middle = {side: {m: round(statistics.median(s[m] for s in runs), 3) for m in METRICS}
              for side, runs in samples.items()}
    ratio = {m: round(middle["toolkit"][m] / middle["baseline"][m], 2)
             for m in METRICS if middle["baseline"][m]}
    toolkit = samples["toolkit"]
    names = list(dict.fromkeys(name for s in toolkit for name in s.get("phases_s", {})))
    phases = {name: round(statistics.median(s.get("phases_s", {}).get(name, 0.0)
                                            for s in toolkit), 3) for name in names}
    extras = [s["first_row_extra_s"] for s in toolkit if s.get("first_row_extra_s") is not None]
    return {"medians": middle, "ratios": ratio, "pair_ratio": pair_ratio(samples),
            "toolkit_phases_s": phases,
            "first_row_extra_s": round(statistics.median(extras), 3) if extras else None}


def pair_ratio(samples: dict[str, list[dict[str, Any]]]) -> float | None:
    """The median of toolkit/baseline run seconds over the pairs run one after the other:
    steadier than the ratio of medians when the machine's load drifts during the bench."""
    pairs = zip(samples["baseline"], samples["toolkit"], strict=False)
    ratios = [t["duration_s"] / b["duration_s"] for b, t in pairs if b["duration_s"]]
    return round(statistics.median(ratios), 2) if ratios else None


def render(results: dict[str, Any]) -> str:
    """The printed table: medians per side, then the ratios (above 1: the toolkit costs more)."""
    medians, ratio = results["medians"], results["ratios"]
    lines = [f"single-page form, {ROWS} rows x 7 fields, {results['repeat']} run(s) per side "
             f"(load {results['machine'].get('load_avg_1_5_15')})",
             f"{'':10}{'run s':>9}{'wall s':>9}{'tree MB':>9}"]
    for side in SIDES:
        m = medians[side]
        lines.append(f"{side:10}{m['duration_s']:9.2f}{m['wall_s']:9.2f}{m['tree_peak_mb']:9.0f}")
    lines.append(f"{'ratio':10}{ratio.get('duration_s', 0):9.2f}{ratio.get('wall_s', 0):9.2f}"
                 f"{ratio.get('tree_peak_mb', 0):9.2f}")
    phases = results.get("toolkit_phases_s") or {}
    if phases:
        lines.append("toolkit seconds by step: " + ", ".join(f"{name} {seconds:.2f}"
                                                            for name, seconds in phases.items()))
    if results.get("first_row_extra_s") is not None:
        lines.append(f"toolkit's first row took {results['first_row_extra_s'] * 1000:.0f} ms "
                     "longer than a later one (median)")
    lines.append(f"toolkit/baseline run-time ratio: {ratio.get('duration_s')} (aim <= 1.2); "
                 f"pair by pair: {results.get('pair_ratio')}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.spa_form",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per side (median)")
    parser.add_argument("--no-warmup", dest="warmup", action="store_false",
                        help="skip the unmeasured first toolkit run")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON results file")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    facts = machine_facts()
    try:
        samples = run_all(args.repeat, args.warmup)
    except (MeasureError, SpaBenchError) as error:
        print(f"spa bench: {error}", file=sys.stderr)
        return 1
    results = {"machine": facts, "repeat": args.repeat, "samples": samples,
               **summarise(samples)}
    publish(results, args.out, render(results))
    return 0


def _say(message: str) -> None:
    print(f"[spa bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
