"""The chaos run: real runner processes under the faults operators and attackers cause, then an
audit of what the target holds against what the state says.

    .venv/bin/python -m bench.chaos [--scenario NAME ...] [--claims N] [--work DIR] [--out FILE]

Scenarios (bench/chaos_scenarios.py): pg-cuts, resubmits, shared-sqlite, outage, wiped-state,
late-commits. Each gets a reset fixture app, its own folder under `--work` (runner logs in
`logs/`) and, for pg-cuts, a fresh PostgreSQL database on 127.0.0.1:5432. The table counts,
per scenario, records keyed twice, inputs lost, items or workflows stuck, and disagreements
between the ledger and the target (bench/chaos_audit.py); the JSON file keeps the evidence.
Exit code 0 when every count is 0, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.chaos_audit import KINDS, audit  # noqa: E402
from bench.chaos_scenarios import SCENARIOS, database_for  # noqa: E402
from bench.chaos_support import World  # noqa: E402
from bench.workers import CREDENTIALS  # noqa: E402
from fixtures.legacy_app.launch import LegacyApp, launch  # noqa: E402

DEFAULT_OUT = ROOT / "state" / "bench" / "chaos.json"
SHOWN_FINDINGS = 5  # evidence lines printed per kind; the JSON file has them all


def run_scenario(app: LegacyApp, name: str, claims: int, work: Path) -> dict[str, Any]:
    """One scenario on a reset app, then its audit; an error is a result, not a crash."""
    app.reset()
    started = time.monotonic()
    world = World(app, work / name)
    result: dict[str, Any] = {"scenario": name, "claims": claims, "folder": str(world.folder)}
    try:
        with database_for(name) as database:
            world.database = database
            audited = SCENARIOS[name](world, claims)
            app.wait_for_late_commits(timeout_s=30)
            with contextlib.redirect_stdout(sys.stderr):  # the sources' log lines: not the table
                found = audit(app, audited.database_url, audited.recipes)
            result["audit"] = found.as_data()
    except Exception as error:  # a scenario that cannot run is reported, the others still run
        result["error"] = f"{type(error).__name__}: {error}"
        result["traceback"] = traceback.format_exc()
    result["seconds"] = round(time.monotonic() - started, 1)
    result["runs"] = [{"label": run.label, "args": run.args, "exit_code": run.code,
                       "stderr_tail": run.tail()} for run in world.runs]
    result["notes"] = world.notes
    return result


def clean(result: dict[str, Any]) -> bool:
    """The scenario ran and found nothing."""
    return "audit" in result and not any(result["audit"]["counts"].values())


def render(results: list[dict[str, Any]]) -> str:
    """The table, then the evidence of every count that is not 0."""
    header = (f"{'scenario':<14} {'inputs':>6} {'keyed twice':>11} {'lost':>5} {'stuck':>5} "
              f"{'disagree':>8} {'s':>6}  exit codes")
    lines = [header, "-" * len(header)]
    for result in results:
        exits = ",".join(str(run["exit_code"]) for run in result["runs"])
        if "audit" not in result:
            lines.append(f"{result['scenario']:<14} error: {result['error']}")
            continue
        counts, inputs = result["audit"]["counts"], result["audit"]["inputs"]
        lines.append(f"{result['scenario']:<14} {inputs:>6} {counts['keyed_twice']:>11} "
                     f"{counts['lost']:>5} {counts['stuck']:>5} {counts['disagreements']:>8} "
                     f"{result['seconds']:>6.0f}  {exits}")
    return "\n".join(lines + evidence(results))


def evidence(results: list[dict[str, Any]]) -> list[str]:
    """The first findings of each kind, per scenario."""
    lines = []
    for result in results:
        for kind in KINDS:
            found = result.get("audit", {}).get(kind, [])
            if found:
                lines.append(f"\n{result['scenario']}: {kind} ({len(found)})")
                lines += [f"  {line}" for line in found[:SHOWN_FINDINGS]]
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.chaos",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", nargs="+", choices=list(SCENARIOS), default=None,
                        help="the scenarios to run (default: all)")
    parser.add_argument("--claims", type=int, default=24, help="generated claims per scenario")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for the scenarios' files (default: state/chaos/<time>)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON results file")
    args = parser.parse_args(argv)
    if not 1 <= args.claims <= 500:
        parser.error("--claims must be between 1 and 500")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    work = args.work or ROOT / "state" / "chaos" / stamp
    with launch(env=CREDENTIALS) as app:
        results = [run_scenario(app, name, args.claims, work)
                   for name in args.scenario or list(SCENARIOS)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(render(results))
    print(f"\nresults: {args.out}\nrunner logs: {work}/<scenario>/logs/")
    return 0 if all(clean(result) for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
