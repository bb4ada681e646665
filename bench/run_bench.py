"""Benchmark claims-intake against a hand-written baseline: time per item, items/s, peak memory.

    .venv/bin/python -m bench.run_bench [--repeat N] [--concurrency 1 2 4] [--out FILE]
    .venv/bin/python -m bench.run_bench --spa-form [--repeat N]   # bench.spa_form instead

One fixture legacy app serves every run; before each run its claims are deleted (app.reset())
and the runner gets a fresh state folder, so every run does all the work. Each run is a
subprocess: ``runner.py claims-intake --concurrency N`` or ``python -m bench.baseline``. After
each run the claims in the app are compared with the first run's: every run must key the same
claims. Nothing here asserts a time; the numbers are printed and written as JSON.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/run_bench.py` as well as `python -m bench.run_bench`
    sys.path.insert(0, str(ROOT))

from bench.measure import MeasureError, run_measured, step_totals  # noqa: E402
from bench.report import (  # noqa: E402
    machine_facts,
    medians,
    publish,
    ratios,
    render,
    sample_metrics,
)
from fixtures.legacy_app.launch import LegacyApp, launch  # noqa: E402

FILES, CLAIMS = 18, 7
CLAIM_FIELDS = ("policy_number", "claimant_name", "loss_date", "loss_type", "amount",
                "external_ref", "description")
DROPPED_ENV = ("BOTS_DATABASE_URL", "BOTS_HEADED", "BOTS_BROWSER", "LEGACY_FAULTS")
DEFAULT_OUT = ROOT / "state" / "bench" / "latest.json"


class BenchError(RuntimeError):
    """A run did not do the expected work, so its numbers would compare different things."""


def command_for(side: str, concurrency: int) -> list[str]:
    """The measured command line for one side."""
    if side == "baseline":
        return [sys.executable, "-m", "bench.baseline"]
    return [sys.executable, "runner.py", "claims-intake", "--concurrency", str(concurrency)]


def environment(app: LegacyApp, credentials: dict[str, str], state: Path) -> dict[str, str]:
    """The run's environment: the app, its credentials, a fresh state folder, isolation on."""
    env = {name: value for name, value in os.environ.items() if name not in DROPPED_ENV}
    return {**env, **credentials, "LEGACY_URL": app.url, "BOTS_STATE_DIR": str(state),
            "BOTS_ISOLATE_NETWORK": "1", "PYTHONUNBUFFERED": "1"}


def keyed_claims(app: LegacyApp) -> list[tuple[str, ...]]:
    """The claims in the app, as comparable tuples (without ids, references and timestamps)."""
    return sorted(tuple(str(claim[f]) for f in CLAIM_FIELDS) for claim in app.claims())


def check_work(name: str, summary: dict[str, Any], claims: list[tuple[str, ...]],
               expected: list[tuple[str, ...]] | None) -> None:
    """BenchError unless the run handled every file and keyed exactly the expected claims."""
    if summary.get("items") != FILES or summary.get("done") != CLAIMS:
        raise BenchError(f"{name}: expected {FILES} items and {CLAIMS} done, got "
                         f"items={summary.get('items')} done={summary.get('done')} "
                         f"exceptions={summary.get('exceptions')}")
    if len(claims) != CLAIMS:
        raise BenchError(f"{name}: the app holds {len(claims)} claims, expected {CLAIMS}")
    if expected is not None and claims != expected:
        different = sorted(set(claims) ^ set(expected))
        raise BenchError(f"{name}: keyed other claims than the first run: {different}")


def measure_once(app: LegacyApp, credentials: dict[str, str], side: str, concurrency: int,
                 expected: list[tuple[str, ...]] | None) -> tuple[dict[str, Any], list[Any]]:
    """One measured run on a reset app and a fresh state folder; its metrics and claims."""
    app.reset()
    with tempfile.TemporaryDirectory(prefix="bench-state-") as state:
        measured = run_measured(command_for(side, concurrency), cwd=ROOT,
                                env=environment(app, credentials, Path(state)))
    claims = keyed_claims(app)
    check_work(f"{side} at concurrency {concurrency}", measured.summary, claims, expected)
    metrics = sample_metrics(measured.summary, measured.wall_s, measured.tree_peak_mb,
                             measured.single_peak_mb)
    metrics["phases_s"] = phase_times(side, measured.summary, measured.stdout)
    return metrics, claims


def phase_times(side: str, summary: dict[str, Any], stdout: str) -> dict[str, float]:
    """Seconds per kind of work: the toolkit's steps (from its step.finished log events) or the
    baseline's own phases, and the rest of the run as ``outside`` (meaningful at concurrency 1)."""
    phases = dict(summary.get("phases_s", {})) if side == "baseline" else step_totals(stdout)
    phases["outside"] = summary["duration_s"] - sum(phases.values())
    return {name: round(seconds, 3) for name, seconds in phases.items()}


def plan(concurrencies: list[int]) -> list[tuple[str, int]]:
    """The runs of one repeat: the baseline at 1, then the toolkit at each concurrency."""
    return [("baseline", 1)] + [("toolkit", n) for n in concurrencies]


def run_all(args: argparse.Namespace) -> dict[str, Any]:
    """Every planned run, ``args.repeat`` times, interleaved so that drift hits all alike."""
    credentials = {"LEGACY_USER": "bench.bot", "LEGACY_PASSWORD": secrets.token_urlsafe(12)}
    runs: dict[str, dict[str, Any]] = {
        f"{side}-c{n}": {"side": side, "concurrency": n, "samples": []}
        for side, n in plan(args.concurrency)}
    expected = None
    with launch(env=credentials, latency_ms=0) as app:
        if args.warmup:
            _say("warm-up run (not measured): toolkit at the highest concurrency")
            measure_once(app, credentials, "toolkit", max(args.concurrency), None)
        for repeat in range(1, args.repeat + 1):
            for side, n in plan(args.concurrency):
                _say(f"repeat {repeat}/{args.repeat}: {side} at concurrency {n}")
                metrics, claims = measure_once(app, credentials, side, n, expected)
                expected = expected or claims
                runs[f"{side}-c{n}"]["samples"].append(metrics)
    for run in runs.values():
        run["median"] = medians(run["samples"])
    return runs


def results_of(args: argparse.Namespace, facts: dict[str, Any],
               runs: dict[str, Any]) -> dict[str, Any]:
    """Everything the bench found, as one JSON-ready dict."""
    toolkit, baseline = runs.get("toolkit-c1"), runs["baseline-c1"]
    return {"machine": facts,
            "settings": {"repeat": args.repeat, "concurrency": args.concurrency,
                         "warmup": args.warmup, "files": FILES, "claims": CLAIMS,
                         "recipe": "claims-intake", "legacy_app_latency_ms": 0},
            "runs": runs,
            "ratios": ratios(toolkit["median"], baseline["median"]) if toolkit else {}}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run_bench",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement (median)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 4],
                        help="the toolkit's concurrencies (1 is needed for the ratios)")
    parser.add_argument("--no-warmup", dest="warmup", action="store_false",
                        help="skip the unmeasured first run that warms disk caches")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON results file")
    args = parser.parse_args(argv)
    if args.repeat < 1 or min(args.concurrency) < 1:
        parser.error("--repeat and --concurrency must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if "--spa-form" in argv:  # the single-page form bench has its own options and output
        from bench import spa_form
        return spa_form.main([arg for arg in argv if arg != "--spa-form"])
    args = parse_args(argv)
    facts = machine_facts()
    try:
        runs = run_all(args)
    except (MeasureError, BenchError) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    facts["load_avg_after"] = [round(x, 2) for x in os.getloadavg()]
    results = results_of(args, facts, runs)
    publish(results, args.out, render(results))
    return 0


def _say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
