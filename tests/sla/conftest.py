"""Fixtures for the service-goal tests: a real SQLite ledger with items, a webhook receiver."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bots.kernel import WorkItem
from bots.ledger import Ledger
from bots.ledger.tables import items

NOW = datetime(2024, 5, 8, 12, 0, tzinfo=UTC)  # a Wednesday, noon UTC: the tests' clock

AddItem = Callable[..., str]


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def ledger(tmp_path) -> Iterator[Ledger]:
    book = Ledger(f"sqlite:///{tmp_path / 'bots.sqlite'}")
    yield book
    book.close()


def put_item(ledger: Ledger, name: str, arrived_at: str, *, recipe: str = "claims-intake",
             status: str = "queued", **columns: Any) -> str:
    """Queue an item as the engine does, then set its columns (updated_at included) directly."""
    item_id = f"{recipe}/{name}"
    ledger.item_queued(item_id, recipe, WorkItem(key=name, name=name, arrived_at=arrived_at),
                       run_id="run-1")
    with ledger.engine.begin() as db:
        db.execute(items.update().where(items.c.item_id == item_id)
                   .values(status=status, **columns))
    return item_id


@pytest.fixture
def add_item(ledger: Ledger) -> AddItem:
    def add(name: str, arrived_at: str, **columns: Any) -> str:
        return put_item(ledger, name, arrived_at, **columns)

    return add


@dataclass
class Receiver:
    """A webhook endpoint on loopback that keeps what it was sent and answers `status`."""

    url: str = ""
    bodies: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    got = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
            length = int(self.headers["Content-Length"])
            got.bodies.append({"path": self.path, "content_type": self.headers["Content-Type"],
                               "json": json.loads(self.rfile.read(length))})
            self.send_response(got.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    got.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/sla"
    yield got
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)

