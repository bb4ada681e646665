"""The audit after a chaos scenario: what the target holds against what the state says.

Four counts, each with the evidence behind it (item names, external keys, references):

- keyed twice: the target holds more than one record for one external key;
- lost: an input of an audited recipe with no ledger row, or whose row is not final;
- stuck: ledger rows still queued/running, or DBOS workflows PENDING/ENQUEUED, after every
  process ended (so no live process owns them);
- disagreements: a row done whose key is not in the target, a record in the target whose
  inputs' rows are none of them done, or a done row whose reference is not the target's.

The inputs are what the recipe's own sources yield (``discover_items``), so the audit works for
any recipe whose target records can be listed; a `Target` says how to list them and how to
find an item's key in them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bots.engine.sources import discover_items
from bots.engine.workflow import workflow_id
from bots.kernel import WorkItem
from bots.ledger import Ledger, make_engine
from bots.recipe import load_recipe
from fixtures.legacy_app.launch import LegacyApp

FINAL = ("done", "exception")
KINDS = ("keyed_twice", "lost", "stuck", "disagreements")
Row = dict[str, Any]


@dataclass(frozen=True)
class Target:
    """A target system's records as (external key, reference), and an item's key among them."""

    name: str
    records: Callable[[LegacyApp], list[tuple[str, str]]]
    key_of: Callable[[WorkItem, Row | None], str | None]


def _order_key(item: WorkItem, row: Row | None) -> str | None:
    """Account and PO number: from what the bot read (PDFs) or the sheet row (workbook)."""
    order = ((row or {}).get("values") or {}).get("order") or \
        item.data.get("provides", {}).get("order") or {}
    if not order.get("po_number"):
        return None
    return f"{order.get('account', '')}/{order['po_number']}".strip().upper()


CLAIMS = Target("claims",
                lambda app: [(c["external_ref"].strip().upper(), c["reference"])
                             for c in app.claims()],
                lambda item, row: item.ref.upper())
ORDERS = Target("orders",
                lambda app: [(f"{o['account']}/{o['customer_po']}".strip().upper(),
                              o["order_number"]) for o in app.orders()],
                _order_key)


@dataclass
class Findings:
    """The four counts' evidence; each list holds one line per finding."""

    keyed_twice: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    stuck: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    inputs: int = 0  # the audited recipes' inputs, summed

    def counts(self) -> dict[str, int]:
        """How many of each."""
        return {name: len(getattr(self, name)) for name in KINDS}

    def as_data(self) -> dict[str, Any]:
        """Counts and evidence, as plain data."""
        return {**asdict(self), "counts": self.counts()}

    def clean(self) -> bool:
        """Nothing keyed twice, lost, stuck or disagreeing."""
        return not any(self.counts().values())


def audit(app: LegacyApp, database_url: str,
          audited: list[tuple[Path, Target]]) -> Findings:
    """Audit the app's records against the ledger and DBOS state for the given recipes."""
    findings = Findings()
    ledger = Ledger(database_url)
    try:
        rows = {row["item_id"]: row for row in ledger.find_items()}
    finally:
        ledger.close()
    findings.stuck += [f"ledger {row['status']}: {row['name']} ({row['item_id']})"
                       for row in rows.values() if row["status"] in ("queued", "running")]
    findings.stuck += unfinished_workflows(database_url)
    for target in {t.name: t for _, t in audited}.values():
        findings.keyed_twice += keyed_twice(target.records(app))
    known: set[str] = set()
    for recipe_path, target in audited:
        known |= check_recipe(findings, app, rows, recipe_path, target)
    for target in {t.name: t for _, t in audited}.values():
        findings.disagreements += [f"{key} ({reference}) is in the target but no input has it"
                                   for key, reference in target.records(app) if key not in known]
    return findings


def keyed_twice(records: list[tuple[str, str]]) -> list[str]:
    """One line per external key the target holds more than once, with its references."""
    refs: dict[str, list[str]] = defaultdict(list)
    for key, reference in records:
        refs[key].append(reference)
    return [f"{key}: {', '.join(found)}" for key, found in refs.items() if len(found) > 1]


def check_recipe(findings: Findings, app: LegacyApp, rows: dict[str, Row], recipe_path: Path,
                 target: Target) -> set[str]:
    """Lost inputs and disagreements of one recipe's items with the target's records; the
    target keys its inputs have."""
    recipe = load_recipe(str(recipe_path))
    items, _ = discover_items(recipe)
    findings.inputs += len(items)
    records = dict(target.records(app))  # key -> reference (a repeat is counted as twice)
    done_keys: set[str] = set()
    known_keys: set[str] = set()
    for item in items:
        row = rows.get(workflow_id(recipe.name, item.key))
        where = f"{recipe.name}: {item.name}"
        if row is None or row["status"] not in FINAL:
            findings.lost.append(f"{where}: {row['status'] if row else 'no ledger row'}")
        key = target.key_of(item, row)
        known_keys.add(key or "")
        if row is not None and row["status"] == "done":
            done_keys.add(key or "")
            findings.disagreements += _done_row_problems(where, key, row, records)
    for key in sorted(set(records) & known_keys - done_keys):
        findings.disagreements.append(f"{recipe.name}: {key} ({records[key]}) is in the "
                                      "target but no input of it is done in the ledger")
    return known_keys


def _done_row_problems(where: str, key: str | None, row: Row,
                       records: dict[str, str]) -> list[str]:
    if not key or key not in records:
        return [f"{where}: done as {row['reference']} but {key} is not in the target"]
    if row["reference"] != records[key]:
        return [f"{where}: ledger says {row['reference']}, the target {records[key]} "
                f"for {key}"]
    return []


def unfinished_workflows(database_url: str) -> list[str]:
    """DBOS workflows still PENDING or ENQUEUED (read after every process ended)."""
    table = "workflow_status" if database_url.startswith("sqlite") else "dbos.workflow_status"
    engine = make_engine(database_url)
    try:
        with engine.connect() as db:
            found = db.execute(sa.text(
                f"SELECT workflow_uuid, status, executor_id FROM {table} "
                "WHERE status IN ('PENDING', 'ENQUEUED')")).all()
    except (sa.exc.OperationalError, sa.exc.ProgrammingError):
        found = []  # no DBOS tables: nothing ever ran on this state
    finally:
        engine.dispose()
    return [f"workflow {status}: {wid} (executor {executor})" for wid, status, executor in found]
