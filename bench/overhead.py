"""Benchmark a run's own start and stop, outside its items and outside any browser.

    .venv/bin/python -m bench.overhead [--repeat N] [--out FILE] [--against DIR]

A recipe with one step and no browser (data.check_rules on a small inbox file) runs one new
item per run, so almost all of its wall time is the runner's own: interpreter and imports,
recipe and ledger, DBOS launch, the queue, the summary and the teardown. Two references run in
the same loop, alternating with it, so that load from other processes hits all alike:

- ``bare``: a bare Python script doing the same by hand (read the file, check it, record the
  outcome in SQLite, print one JSON line);
- ``imports``: ``python -c`` importing what a run of this recipe imports before it starts
  (no run).

Each toolkit run starts in a fresh state folder (``first``: the database is created) or in the
one the previous runs used (``again``: what a scheduled run meets). ``--against DIR`` adds the
runs of another checkout (an older commit) to the loop as ``was-first`` and ``was-again``:
before and after under the same load. Printed: medians of wall and CPU seconds per side (on a
loaded machine wall time is several times CPU time; on a quiet one it comes down to it), the
toolkit's seconds before its item started (``start``) and after it ended (``stop``), the time
outside its steps (aim: at most 1.5 s), over and as a multiple of the bare script. No time is
asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/overhead.py` as well as `python -m bench.overhead`
    sys.path.insert(0, str(ROOT))

from bench.measure import MeasureError, run_measured  # noqa: E402
from bench.overhead_scripts import BARE, IMPORTS, RECIPE  # noqa: E402
from bench.report import machine_facts, publish  # noqa: E402

AIM_S = 1.5
SIDES = ("bare", "imports", "first", "again")
AGAINST = ("was-first", "was-again")  # the same runs of the checkout given by --against
DEFAULT_OUT = ROOT / "state" / "bench" / "overhead.json"
DROPPED_ENV = ("BOTS_DATABASE_URL", "BOTS_CHAOS", "BOTS_STEPS_PATH")



class Workspace:
    """The bench's inbox, recipe and state folders in one temporary folder."""

    def __init__(self, root: Path, project: Path = ROOT, against: Path | None = None) -> None:
        self.root, self.inbox, self.project = root, root / "inbox", project
        self.against = against
        self.inbox.mkdir()
        self.recipe = root / "overhead-bench.yaml"
        self.recipe.write_text(RECIPE.format(inbox=self.inbox), encoding="utf-8")
        self.kept_state = root / "state-again"
        self.bare_state = root / "state-bare"
        self.bare_state.mkdir()

    @property
    def sides(self) -> tuple[str, ...]:
        return SIDES + (AGAINST if self.against else ())

    def new_item(self) -> None:
        """Replace the inbox's file by one with new content: a new item for every run."""
        for old in self.inbox.iterdir():
            old.unlink()
        (self.inbox / "item.txt").write_text(uuid.uuid4().hex, encoding="utf-8")

    def command(self, side: str) -> tuple[list[str], Path | None, Path]:
        """The command of a side, the state folder it runs with and the checkout it runs in."""
        if side in ("bare", "imports"):
            script = [BARE, str(self.inbox), str(self.bare_state)] if side == "bare" else [IMPORTS]
            return [sys.executable, "-c", *script], None, self.project
        project = self.against if self.against is not None and side in AGAINST else self.project
        kept = self.kept_state if project == self.project else self.root / "state-again-was"
        state = kept if side.endswith("again") else Path(tempfile.mkdtemp(dir=self.root))
        return [sys.executable, "runner.py", "run", str(self.recipe)], state, project


def environment(state: Path | None) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in DROPPED_ENV}
    return env | ({"BOTS_STATE_DIR": str(state)} if state else {})


def measure_once(space: Workspace, side: str) -> dict[str, Any]:
    """One measured process; for the toolkit, its seconds before, in and after its item."""
    space.new_item()
    command, state, project = space.command(side)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    measured = run_measured(command, env=environment(state), cwd=project, kill_after_s=120)
    ended_at = time.time()
    sample: dict[str, Any] = {"wall_s": round(measured.wall_s, 3), "cpu_s": cpu_since(children)}
    if state is not None:
        if measured.summary.get("done") != 1:
            raise MeasureError(f"{side}: expected one item done, got {measured.summary}")
        sample |= item_phases(measured.stdout, ended_at - measured.wall_s, ended_at)
        sample["outside_s"] = round(measured.wall_s - sample["steps_s"], 3)
    return sample


def cpu_since(children: resource.struct_rusage) -> float:
    """CPU seconds (user and system) of the children reaped since `children` was read: what
    the wall time comes down to on a quiet machine, whatever the load while measuring."""
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    return round(now.ru_utime - children.ru_utime + now.ru_stime - children.ru_stime, 3)


def item_phases(stdout: str, started_at: float, ended_at: float) -> dict[str, float]:
    """Seconds from process start to the item's first event, in its steps, and from its end
    to process exit, read from the runner's JSON log lines."""
    events = [event for event in map(_json_object, stdout.splitlines()) if event.get("item_id")]
    if not events:
        raise MeasureError("the run logged no item event")
    first, last = _epoch(events[0]["timestamp"]), _epoch(events[-1]["timestamp"])
    steps = sum(float(e.get("duration_s") or 0) for e in events
                if e.get("event") == "step.finished")
    return {"start_s": round(first - started_at, 3), "steps_s": round(steps, 3),
            "stop_s": round(ended_at - last, 3)}


def _epoch(timestamp: str) -> float:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


def _json_object(line: str) -> dict[str, Any]:
    with contextlib.suppress(ValueError):
        value = json.loads(line)
        return value if isinstance(value, dict) else {}
    return {}


def run_all(repeat: int, project: Path = ROOT, against: Path | None = None
            ) -> dict[str, list[dict[str, Any]]]:
    """Every side ``repeat`` times, interleaved, after one unmeasured toolkit run per checkout
    that compiles bytecode and creates the kept state folder's database."""
    with tempfile.TemporaryDirectory(prefix="overhead-bench-") as folder:
        space = Workspace(Path(folder), project, against)
        samples: dict[str, list[dict[str, Any]]] = {side: [] for side in space.sides}
        for warm_up in [side for side in space.sides if side.endswith("again")]:
            measure_once(space, warm_up)
        for number in range(1, repeat + 1):
            _say(f"repeat {number}/{repeat}")
            for side in space.sides:
                samples[side].append(measure_once(space, side))
    return samples


def summarise(samples: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The median of every figure per side, and the toolkit/bare wall-time ratios."""
    middle = {side: {key: round(statistics.median(s[key] for s in runs), 3)
                     for key in runs[0]} for side, runs in samples.items() if runs}
    bare = middle["bare"]["wall_s"]
    return {"medians": middle,
            "ratios": {side: round(middle[side]["wall_s"] / bare, 2)
                       for side in middle if side != "bare"}}


def render(results: dict[str, Any]) -> str:
    """The printed table: wall seconds per side, the toolkit's phases, the aim."""
    medians, ratios = results["medians"], results["ratios"]
    lines = [f"a run's own start and stop, one cheap item, {results['repeat']} run(s) per side "
             f"(load {results['machine'].get('load_avg_1_5_15')})",
             f"{'':9}{'wall s':>8}{'cpu s':>7}{'start s':>9}{'steps s':>9}{'stop s':>8}"
             f"{'outside s':>11}{'x bare':>8}"]
    for side in medians:
        m = medians[side]
        cells = "".join(f"{m[key]:{width}.2f}" if key in m else " " * width
                        for key, width in (("cpu_s", 7), ("start_s", 9), ("steps_s", 9),
                                           ("stop_s", 8), ("outside_s", 11)))
        ratio = f"{ratios[side]:8.2f}" if side in ratios else ""
        lines.append(f"{side:9}{m['wall_s']:8.2f}{cells}{ratio}")
    lines.append(_verdict(medians, "first", "again"))
    if "was-first" in medians:
        lines.append(f"was ({results.get('against')}): "
                     + _verdict(medians, "was-first", "was-again"))
    return "\n".join(lines)


def _verdict(medians: dict[str, dict[str, float]], first: str, again: str) -> str:
    """The worst time outside the item, against the aim and the bare script's whole run."""
    worst = max(medians[first]["outside_s"], medians[again]["outside_s"])
    verdict = "met" if worst <= AIM_S else "NOT met"
    return (f"outside the item: {worst:.2f} s at most (aim <= {AIM_S} s: {verdict}; "
            f"{worst - medians['bare']['wall_s']:+.2f} s over the bare script)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.overhead",
                                     description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per side (median)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON results file")
    parser.add_argument("--project", type=Path, default=ROOT,
                        help="the checkout whose runner.py is measured (another version of the "
                             "toolkit, e.g. an older commit; default: this one)")
    parser.add_argument("--against", type=Path, help="another checkout whose runs alternate "
                        "with these (was-first, was-again): before and after at the same load")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    facts = machine_facts()
    try:
        samples = run_all(args.repeat, args.project.resolve(),
                          args.against.resolve() if args.against else None)
    except MeasureError as error:
        print(f"overhead bench: {error}", file=sys.stderr)
        return 1
    results = {"machine": facts, "project": str(args.project), "repeat": args.repeat,
               "against": str(args.against or ""), "samples": samples, **summarise(samples)}
    publish(results, args.out, render(results))
    return 0


def _say(message: str) -> None:
    print(f"[overhead bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
