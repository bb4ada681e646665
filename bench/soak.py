"""The big soak: hundreds of claims through the real runner under faults and page crashes.

    .venv/bin/python -m bench.soak [--claims 300]

The suite runs tests/soak/test_soak_faults.py on 24 claims (enough for every fault, lost
responses included, to bite, and the suite stays within its time budget); this runs the same
test, with the same fault rates and the same checks (each claim keyed exactly once, every item
done or an exception with a code, nearly all done, every fault seen, lost responses settled by
the check), on a big batch, and prints the soak's summary: items, done, exceptions, run seconds
and items per second. Needs Chromium; some 10 minutes on two cores for the default.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/soak/test_soak_faults.py"
SUMMARY_PREFIX = "soak "


def soak_summaries(stdout: str) -> list[tuple[str, dict[str, Any]]]:
    """(which soak, its run summary) for each `soak <faults>: {json}` line the tests print."""
    found = []
    for line in stdout.splitlines():
        name, separator, body = line.partition(": {")
        if line.startswith(SUMMARY_PREFIX) and separator:
            try:
                summary = json.loads("{" + body)
            except ValueError:
                continue
            if "items" in summary:  # a run summary, not another of the soak's printouts
                found.append((name.removeprefix(SUMMARY_PREFIX), summary))
    return found


def render(found: list[tuple[str, dict[str, Any]]], wall_s: float) -> str:
    """One line per soak run, then the whole bench's wall time."""
    lines = [f"{'soak':32}{'items':>7}{'done':>6}{'exceptions':>11}{'run s':>8}{'items/s':>9}"]
    for name, summary in found:
        items, seconds = int(summary.get("items", 0)), float(summary.get("duration_s", 0))
        exceptions = sum((summary.get("exceptions") or {}).values())
        rate = items / seconds if seconds else 0.0
        lines.append(f"{name[:31]:32}{items:7d}{summary.get('done', 0):6d}{exceptions:11d}"
                     f"{seconds:8.1f}{rate:9.2f}")
    lines.append(f"wall time, the soak and its checks: {wall_s:.0f} s "
                 f"(load {[round(x, 2) for x in os.getloadavg()]})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak",
                                     description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=300, help="claims of the soak")
    args = parser.parse_args(argv)
    env = {**os.environ, "SOAK_CLAIMS": str(args.claims)}
    started = time.perf_counter()
    result = subprocess.run(  # one process, no workers: the soaks' own concurrency is measured
        [sys.executable, "-m", "pytest", "-q", "-s", "-o", "addopts=", "-p", "no:cacheprovider",
         TEST], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    print(render(soak_summaries(result.stdout), wall))
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-2000:], sep="\n", file=sys.stderr)
        print(f"soak bench: the soaks failed (pytest exit {result.returncode})", file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
