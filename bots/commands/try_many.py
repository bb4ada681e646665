"""`try RECIPE FOLDER` (or several files): one pdf step's rules on many samples, one line each.

After a rule change an author wants to know what it did to every sample at once: which layout
each file got, how many fields were read, which problems are left. Each file runs exactly as
`try RECIPE FILE` runs it (nothing recorded); `try RECIPE FILE` then shows one in full.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bots.commands.common import print_json, say
from bots.commands.try_report import outcome_data
from bots.commands.try_run import run_on
from bots.recipe import Recipe
from bots.recipe.phases import Step

EXIT_OK, EXIT_PROBLEMS = 0, 1


def pdf_files(names: list[str]) -> list[Path]:
    """The files named, a folder standing for the PDFs in it (sorted by name)."""
    paths: list[Path] = []
    for name in names:
        path = Path(name)
        paths += sorted(p for p in path.iterdir() if p.suffix.lower() == ".pdf" and p.is_file()
                        ) if path.is_dir() else [path]
    return paths


def try_many(recipe: Recipe, step: Step, paths: list[Path], *, as_json: bool) -> int:
    """Try the step on every path; a line per file and a total; 0 when every one was read."""

    rows = []
    for path in paths:
        if not path.is_file():
            rows.append({"file": str(path), "ok": False, "layout": None, "fields_read": 0,
                         "fields": 0, "codes": ["FILE_MISSING"]})
            continue
        result, error = run_on(recipe, step, path)
        data = outcome_data(recipe.name, step, str(path), result, error)
        rows.append({"file": str(path), "ok": data["ok"], "layout": data["layout"],
                     "fields_read": data["fields_read"], "fields": len(data["values"]),
                     "codes": [problem["code"] for problem in data["problems"]]})
    if as_json:
        print_json({"recipe": recipe.name, "step": step.id, "files": rows})
    else:
        say(summary_text(recipe, step, rows))
    return EXIT_OK if rows and all(row["ok"] for row in rows) else EXIT_PROBLEMS


def summary_text(recipe: Recipe, step: Step, rows: list[dict[str, Any]]) -> str:
    """The table for people: file, layout, fields read, problem codes; then the total."""
    if not rows:
        return "no PDF files to try"
    width = max(len(Path(row["file"]).name) for row in rows)
    out = [f"{'FILE':<{width}}  {'LAYOUT':<14} {'READ':>7}  PROBLEMS"]
    for row in rows:
        read = f"{row['fields_read']}/{row['fields']}" if row["fields"] else "-"
        out.append(f"{Path(row['file']).name:<{width}}  {row['layout'] or '-':<14} "
                   f"{read:>7}  {', '.join(dict.fromkeys(row['codes'])) or '-'}")
    full = sum(row["ok"] for row in rows)
    out.append(f"\n{len(rows)} file(s): {full} read in full, {len(rows) - full} with problems. "
               f"One in full: python runner.py try {recipe.name} FILE --step {step.id}")
    return "\n".join(out)
