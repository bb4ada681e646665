"""How long a run's start spends deciding which earlier failures to retry automatically.

    python -m bench.auto_retry_survey [--items 2000]

Fills a fresh SQLite ledger with open exceptions of one recipe (half system failures, half
business ones, each with a few step events, as real items have), then times the survey a run
does at its start (bots.engine.auto_retry). The last stdout line is JSON: items, due, seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from bots.engine.auto_retry import failed_of
from bots.engine.book import LedgerBook
from bots.engine.retry_ledger import open_items
from bots.kernel import Outcome, WorkItem
from bots.kernel.outcome import APPLICATION, BUSINESS
from bots.ledger import Ledger


def fill(ledger: Ledger, count: int) -> None:
    """`count` open exceptions of recipe `r`: even ones system failures, odd ones business."""
    book = LedgerBook(ledger)
    for number in range(count):
        item_id = f"r/{number:024d}"
        ledger.item_queued(item_id, "r", WorkItem(key=f"{number:024d}", name=f"{number}.pdf",
                                                  path=""), "bench")
        for step in ("claim", "policy", "inquiry"):
            ledger.add_event(item_id, "step.finished", step_id=step, outcome="ok")
        system = number % 2 == 0
        book.finished(item_id, Outcome.broken("TIMEOUT" if system else "FIELD_MISSING", "x",
                                              kind=APPLICATION if system else BUSINESS))


async def survey(ledger: Ledger) -> int:
    """The survey's per-item work (DBOS is asked only about items retried before: none here)."""
    return sum([await failed_of(item) is not None for item in open_items(ledger, "r")])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    count = parser.parse_args().items
    with tempfile.TemporaryDirectory() as folder:
        ledger = Ledger(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        fill(ledger, count)
        started = time.perf_counter()
        due = asyncio.run(survey(ledger))
        seconds = time.perf_counter() - started
        ledger.close()
    print(json.dumps({"items": count, "system_failures": due, "seconds": round(seconds, 2)}))


if __name__ == "__main__":
    main()
