"""How well a recipe reads documents nobody here wrote: fields right, flagged, missing, and
the silent wrong values (python -m bench.doc_accuracy).

Every PDF of fixtures/documents/ goes through the recipe's pdf step exactly as `runner.py try`
runs it (the step function, parameters resolved and validated, no ledger, no state) and is
compared with the ``<name>.truth.json`` beside it. Each truth field lands in one bucket:

- right: the value equals the truth and nothing doubts it;
- flagged: a problem (an exception naming the field, a LOW_CONFIDENCE doubt) or a document
  level exception that names no field says a person must look: nothing is keyed silently;
- missing: no value and no flag (a rule the recipe lacks);
- silent wrong: a value that differs from the truth and nothing flagged it. The target is 0.

A table field (a list of rows) counts each cell as a field (``lines[3].quantity``). Writes
JSON to state/bench/doc_accuracy.json, prints a table; exits 0 (the test judges the numbers).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import time
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from bench.doc_outcome import FieldVerdict, Reading, read_document
from bots.recipe import load_recipe

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "fixtures" / "documents"
OUT = ROOT / "state" / "bench" / "doc_accuracy.json"
BUCKETS = ("right", "flagged", "missing", "silent_wrong")


def flatten(fields: dict[str, Any]) -> dict[str, Any]:
    """Truth or values with list-of-row fields spread into 'name[i].column' entries."""
    flat: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, list):
            for index, row in enumerate(value):
                for column, cell in (row.items() if isinstance(row, dict) else []):
                    flat[f"{name}[{index}].{column}"] = cell
        else:
            flat[name] = value
    return flat


def same(value: Any, truth: Any) -> bool:
    """Equal once both are plain text (True -> 'true', 2 -> '2', Decimal('1.50') -> '1.50')."""
    def text(item: Any) -> str:
        return str(item).lower() if isinstance(item, bool) else str(item).strip()
    return value is not None and text(value) == text(truth)


def judge(reading: Reading, truth: dict[str, Any]) -> list[FieldVerdict]:
    """Each truth field's bucket for one document."""
    values = flatten(reading.values)
    verdicts = []
    for name, expected in flatten(truth).items():
        value = values.get(name)
        if reading.flags(name):
            bucket = "flagged"
        elif expected is None:  # a blank on the document: nothing, or an empty text, is right
            bucket = "right" if value in (None, "") else "silent_wrong"
        elif value is None:
            bucket = "missing"
        else:
            bucket = "right" if same(value, expected) else "silent_wrong"
        verdicts.append(FieldVerdict(name, bucket, expected, value, reading.flags(name)))
    return verdicts


def rule_lines(recipe_path: Path) -> dict[str, int]:
    """Lines of the recipe per layout, from its `- name:` line to the next layout's or the end
    (comment and blank lines not counted): what a rule author wrote for each sender."""
    counts: dict[str, int] = {}
    current = ""
    for line in recipe_path.read_text("utf-8").splitlines():
        found = re.match(r"\s*- name:\s*([\w-]+)", line)
        if found:
            current = found.group(1)
        if current and line.strip() and not line.strip().startswith("#"):
            counts[current] = counts.get(current, 0) + 1
    return counts


def measure(recipe_name: str, folder: Path) -> dict[str, Any]:
    """Read every document of ``folder`` with the recipe; the verdicts and the timing."""
    recipe = load_recipe(recipe_name)
    documents: list[dict[str, Any]] = []
    started = time.perf_counter()
    for path in sorted(folder.glob("*.pdf")):
        truth = json.loads(path.with_name(path.name + ".truth.json").read_text("utf-8"))
        reading = read_document(recipe, path)
        verdicts = judge(reading, truth["fields"])
        documents.append({"file": path.name, "layout": truth["layout"],
                          "pages": len(PdfReader(path).pages),
                          "chosen_layout": reading.layout, "seconds": reading.seconds,
                          "problems": reading.problem_codes(),
                          "fields": [verdict.as_data() for verdict in verdicts]})
    elapsed = time.perf_counter() - started
    pages = sum(document["pages"] for document in documents)
    return {"recipe": recipe_name, "documents": documents, "seconds": round(elapsed, 3),
            "documents_per_s": round(len(documents) / elapsed, 2) if elapsed else None,
            "pages": pages, "pages_per_s": round(pages / elapsed, 2) if elapsed else None,
            "layouts": per_layout(documents, rule_lines(recipe.path)),
            "totals": totals(documents)}


def counts(fields: list[dict[str, Any]]) -> dict[str, int]:
    tally = {bucket: 0 for bucket in BUCKETS}
    for field in fields:
        tally[field["bucket"]] += 1
    return {"fields": len(fields), **tally}


def per_layout(documents: list[dict[str, Any]],
               lines: dict[str, int]) -> dict[str, dict[str, Any]]:
    """Counts per layout, with the names of the fields that were not right."""
    layouts: dict[str, dict[str, Any]] = {}
    for layout in dict.fromkeys(doc["layout"] for doc in documents):
        docs = [doc for doc in documents if doc["layout"] == layout]
        fields = [field for doc in docs for field in doc["fields"]]
        not_right = sorted({f"{field['bucket']}:{base(field['field'])}" for field in fields
                            if field["bucket"] != "right"})
        layouts[layout] = {"documents": len(docs), **counts(fields), "not_right": not_right,
                           "recipe_lines": lines.get(layout),
                           "s_per_doc": round(sum(d["seconds"] for d in docs) / len(docs), 3)}
    return layouts


def base(name: str) -> str:
    """'lines[3].quantity' -> 'lines[].quantity': one name per column in summaries."""
    head, _, rest = name.partition("[")
    return f"{head}[].{rest.split('.', 1)[1]}" if rest else name


def totals(documents: list[dict[str, Any]]) -> dict[str, int]:
    return counts([field for doc in documents for field in doc["fields"]])


def table(result: dict[str, Any]) -> str:
    """The accuracy table for people."""
    head = f"{'layout':<10} {'docs':>4} {'fields':>6} {'right':>6} {'%':>6} {'flagged':>7} " \
           f"{'missing':>7} {'silent wrong':>12} {'s/doc':>6} {'rule lines':>10}"
    rows = [head, "-" * len(head)]
    for name, row in [*result["layouts"].items(), ("total", {
            **result["totals"], "documents": len(result["documents"]), "s_per_doc": None,
            "recipe_lines": None})]:
        share = 100 * row["right"] / row["fields"] if row["fields"] else 0.0
        per_doc = f"{row['s_per_doc']:.3f}" if row["s_per_doc"] is not None else ""
        rows.append(f"{name:<10} {row['documents']:>4} {row['fields']:>6} {row['right']:>6} "
                    f"{share:>5.1f}% {row['flagged']:>7} {row['missing']:>7} "
                    f"{row['silent_wrong']:>12} {per_doc:>6} {row['recipe_lines'] or '':>10}")
    rows.append(f"\n{len(result['documents'])} documents ({result['pages']} pages) in "
                f"{result['seconds']:.2f} s: {result['documents_per_s']} documents/s, "
                f"{result['pages_per_s']} pages/s")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Measure, print the table and what was not right per layout, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--recipe", default="documents-intake")
    parser.add_argument("--folder", type=Path, default=DOCUMENTS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    result = measure(args.recipe, args.folder)
    print(table(result))
    for name, row in result["layouts"].items():
        if row["not_right"]:
            print(f"{name}: {', '.join(row['not_right'])}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n",
                        encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
