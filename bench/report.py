"""The bench's numbers for people and machines: machine facts, medians, ratios, the table."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
from pathlib import Path
from typing import Any

from bots.web.browser import find_browser

METRICS = ("duration_s", "wall_s", "s_per_item", "wall_s_per_item", "items_per_s",
           "tree_peak_mb", "single_peak_mb")
COLUMNS = (("side", "side", "<9"), ("conc", "concurrency", ">4"), ("run s", "duration_s", ">7.2f"),
           ("wall s", "wall_s", ">7.2f"), ("s/item", "s_per_item", ">7.3f"),
           ("items/s", "items_per_s", ">7.2f"), ("tree RSS MB", "tree_peak_mb", ">11.0f"),
           ("max proc RSS MB", "single_peak_mb", ">15.0f"))
RATIOS = (("time per item, in run (run s / items)", "s_per_item"),
          ("time per item, wall (process start to exit)", "wall_s_per_item"),
          ("peak RSS, runner + browser tree (summed)", "tree_peak_mb"),
          ("peak RSS, largest single process", "single_peak_mb"))


def machine_facts() -> dict[str, Any]:
    """What the numbers depend on: cores, load, memory, browser and library versions."""
    browser = find_browser(None) or _playwright_chromium()
    return {
        "cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)),
        "load_avg_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "mem_total_mb": _mem_total_mb(), "platform": platform.platform(),
        "python": platform.python_version(), "browser": browser,
        "browser_version": _version_of(browser),
        "playwright": _package_version("playwright"), "dbos": _package_version("dbos"),
    }


def _playwright_chromium() -> str | None:
    """Playwright's own Chromium, which find_browser prefers when it is installed."""
    try:
        from bots.web.browser import playwright_chromium
    except ImportError:  # an older bots.web.browser
        return None
    return playwright_chromium()


def _mem_total_mb() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            return int(meminfo.readline().split()[1]) // 1024
    except (OSError, IndexError, ValueError):
        return None


def _version_of(executable: str | None) -> str:
    if not executable:
        return "unknown"
    try:
        done = subprocess.run([executable, "--version"], capture_output=True, text=True,
                              timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unknown ({error})"
    return done.stdout.strip() or "unknown"


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def sample_metrics(summary: dict[str, Any], wall_s: float, tree_mb: float,
                   single_mb: float) -> dict[str, Any]:
    """One run's numbers; per-item figures divide by the items the run reported."""
    items, duration = summary["items"], summary["duration_s"]
    return {"duration_s": duration, "wall_s": round(wall_s, 2),
            "s_per_item": round(duration / items, 4), "wall_s_per_item": round(wall_s / items, 4),
            "items_per_s": round(items / duration, 3), "tree_peak_mb": round(tree_mb, 1),
            "single_peak_mb": round(single_mb, 1)}


def medians(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each metric (and of each phase's seconds) over the repeats."""
    middle = {name: round(statistics.median(s[name] for s in samples), 4) for name in METRICS}
    phases = {name for s in samples for name in s.get("phases_s", {})}
    middle["phases_s"] = {name: round(statistics.median(s["phases_s"].get(name, 0.0)
                                                        for s in samples), 3)
                          for name in sorted(phases, key=_phase_order(samples))}
    return middle


def _phase_order(samples: list[dict[str, Any]]) -> Any:
    """Phases in the order the first run reported them (the recipe's step order)."""
    first = list(samples[0].get("phases_s", {}))
    return lambda name: first.index(name) if name in first else len(first)


def ratios(toolkit: dict[str, Any], baseline: dict[str, Any]) -> dict[str, float]:
    """Toolkit over baseline for time per item and memory (above 1: the toolkit costs more)."""
    return {key: round(toolkit[key] / baseline[key], 2) for _, key in RATIOS if baseline[key]}


def render(results: dict[str, Any]) -> str:
    """The human-readable report: machine, table of medians, ratios."""
    facts, settings = results["machine"], results["settings"]
    lines = [f"machine: {facts['cores']} cores ({facts['usable_cores']} usable), "
             f"{facts['mem_total_mb']} MB, load {facts['load_avg_1_5_15']}; "
             f"{facts['browser_version']} ({facts['browser']}); Python {facts['python']}, "
             f"playwright {facts['playwright']}, dbos {facts['dbos']}",
             f"work: {settings['files']} files, {settings['claims']} claims keyed, the rest "
             f"exceptions; median of {settings['repeat']} run(s) each, fresh state and app",
             "", _table_header()]
    lines += [_table_row({**run, **run["median"]}) for run in results["runs"].values()]
    lines += ["", "toolkit / baseline at concurrency 1 (above 1: the toolkit costs more):"]
    for label, key in RATIOS:
        value = results["ratios"].get(key)
        lines.append(f"  {label:<46} {value:.2f}x" if value else f"  {label:<46} n/a")
    lines.append(_scaling_line(results["runs"]))
    lines += ["", "where the time goes at concurrency 1 (median s; toolkit: per recipe step):"]
    lines += [f"  {run['side']:<9} " + ", ".join(f"{name} {seconds:.2f}" for name, seconds
                                               in run["median"]["phases_s"].items())
              for run in results["runs"].values() if run["concurrency"] == 1]
    return "\n".join(lines)


def _table_header() -> str:
    return "  ".join(f"{title:{spec[0]}{_width(spec)}}" for title, _, spec in COLUMNS)


def _table_row(values: dict[str, Any]) -> str:
    return "  ".join(f"{values[key]:{spec}}" for _, key, spec in COLUMNS)


def _width(spec: str) -> int:
    return int(spec[1:].split(".")[0].rstrip("f"))


def _scaling_line(runs: dict[str, Any]) -> str:
    base = runs.get("toolkit-c1", {}).get("median", {}).get("items_per_s")
    if not base:
        return ""
    steps = [f"c{run['concurrency']} {run['median']['items_per_s'] / base:.2f}x"
             for run in runs.values() if run["side"] == "toolkit"]
    return "toolkit items/s relative to concurrency 1: " + ", ".join(steps)


def publish(results: dict[str, Any], out: Path, table: str) -> None:
    """Write the results as JSON to `out` and print the table and where they went."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table)
    print(f"\nresults: {out}")
