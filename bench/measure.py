"""Run one command as a measured subprocess: wall time, its JSON summary, and its memory peaks.

Memory is read two ways, both without extra dependencies:
- ``tree_peak_mb``: the highest sum of VmRSS over the process and all its descendants
  (Playwright's driver, Chromium and its renderers), sampled from /proc every 0.1 s. Pages
  shared between processes count in each, so this over-states real use, alike on both sides.
- ``single_peak_mb``: ``wait4``'s ru_maxrss, the largest resident set any one process of the
  tree reached (the kernel folds in descendants that were waited for).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

SAMPLE_EVERY_S = 0.1
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


class MeasureError(RuntimeError):
    """The measured command failed or printed no JSON summary."""


@dataclass
class Measured:
    """What one measured run produced."""

    summary: dict[str, Any]
    wall_s: float
    tree_peak_mb: float
    single_peak_mb: float
    processes_seen: int = 0
    stdout: str = ""


def _children(pid: int) -> list[int]:
    """The direct children of a process, from every thread's /proc children list."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as listing:
                found += [int(child) for child in listing.read().split()]
    except OSError:  # the process (or thread) ended between listing and reading
        pass
    return found


def _tree(root: int) -> list[int]:
    pids, index = [root], 0
    while index < len(pids):
        pids += _children(pids[index])
        index += 1
    return pids


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


class TreeSampler(threading.Thread):
    """Samples a process tree's summed RSS until stopped; keeps the peak."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kb = 0
        self.seen: set[int] = set()
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(SAMPLE_EVERY_S):
            pids = _tree(self.root)
            self.seen.update(pids)
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in pids))

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def last_json_line(text: str) -> dict[str, Any] | None:
    """The last stdout line that parses as a JSON object (the run's summary)."""
    for line in reversed(text.strip().splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def _kill_group(pid: int) -> None:
    """Kill the measured process and everything it started (its own session)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _wait(pid: int, kill_after_s: float) -> tuple[int, Any]:
    """wait4 the process (killed after ``kill_after_s``): its exit status and its rusage."""
    guard = threading.Timer(kill_after_s, _kill_group, args=(pid,))
    guard.start()
    try:
        _, status, usage = os.wait4(pid, 0)
    except BaseException:  # Ctrl-C: leave no runner or browser behind
        _kill_group(pid)
        os.wait4(pid, 0)
        raise
    finally:
        guard.cancel()
    return status, usage


def run_measured(command: list[str], *, env: dict[str, str], cwd: Path,
                 kill_after_s: float = 600) -> Measured:
    """Run the command to its end, sampling memory; MeasureError if it fails or hangs.

    ``kill_after_s`` only guards against a hung run; it is not a performance limit.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err,
                                   text=True, start_new_session=True)
        sampler = TreeSampler(process.pid)
        sampler.start()
        try:
            status, usage = _wait(process.pid, kill_after_s)
        finally:
            sampler.stop()
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # wait4 reaped it, not Popen
        stdout, stderr = _read(out), _read(err)
    summary = last_json_line(stdout)
    if process.returncode != 0 or summary is None:
        tail = "\n".join((stderr or stdout).strip().splitlines()[-15:])
        raise MeasureError(f"{' '.join(command)} exited with {process.returncode} after "
                           f"{wall:.0f} s and {'a' if summary else 'no'} JSON summary:\n{tail}")
    return Measured(summary=summary, wall_s=wall, tree_peak_mb=sampler.peak_kb / 1024,
                    single_peak_mb=usage.ru_maxrss / 1024, processes_seen=len(sampler.seen),
                    stdout=stdout)


def _read(stream: Any) -> str:
    stream.seek(0)
    text: str = stream.read()
    return text


def step_totals(stdout: str) -> dict[str, float]:
    """The summed duration of each recipe step over the run, from the runner's JSON log lines."""
    totals: dict[str, float] = {}
    for line in stdout.splitlines():
        event = _json_object(line)
        if event.get("event") == "step.finished" and "step_id" in event:
            step = str(event["step_id"])
            totals[step] = totals.get(step, 0.0) + float(event.get("duration_s") or 0)
    return totals


def first_row_extra(stdout: str) -> float | None:
    """How much longer the first item took than a later one (the median), in seconds: the
    time between consecutive ``step.finished`` events, the first item's counted from the end
    of the step before it (a batch's ``before_items``). None with fewer than three items."""
    events = [_json_object(line) for line in stdout.splitlines()]
    stamps = [datetime.fromisoformat(str(e["timestamp"]).replace("Z", "+00:00")).timestamp()
              for e in events if e.get("event") == "step.finished" and "timestamp" in e]
    rows = [after - before for before, after in zip(stamps, stamps[1:], strict=False)][:-1]
    if len(rows) < 3:
        return None
    return rows[0] - statistics.median(rows[1:])


def _json_object(line: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
