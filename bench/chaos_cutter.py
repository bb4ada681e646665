"""The connection cutter: `pg_terminate_backend` on random connections of one database.

As a failing network, a restarted pooler or an administrator does it, every few seconds one
of the workers' connections to the scenario's database ends under them: a DBOS pool
connection, a ledger connection or the connection that holds a worker's lease. Its own
connection (to the ``postgres`` database) is never among them.
"""

from __future__ import annotations

import contextlib
import random
import threading
from collections.abc import Callable, Iterator
from typing import Any

import psycopg

TARGETS = """
SELECT pid, coalesce(application_name, ''), coalesce(left(query, 60), '')
FROM pg_stat_activity
WHERE datname = %s AND pid <> pg_backend_pid()
"""


def database_name(url: str) -> str:
    """The database part of a PostgreSQL URL."""
    return url.rsplit("/", 1)[1].split("?", 1)[0]


def cut_one(admin: psycopg.Connection[Any], database: str, rng: random.Random) -> str | None:
    """Terminate one random connection to `database`; what was cut, or None if none was open."""
    rows = admin.execute(TARGETS, [database]).fetchall()
    if not rows:
        return None
    pid, application, query = rng.choice(rows)
    admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    return f"cut pid {pid} ({application or 'no name'}; {query.strip() or 'idle'}) " \
           f"of {len(rows)} open"


def _cut_until(stop: threading.Event, url: str, say: Callable[[str], None],
               every_s: tuple[float, float], seed: int) -> None:
    rng = random.Random(seed)
    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        while not stop.wait(rng.uniform(*every_s)):
            cut = cut_one(admin, database_name(url), rng)
            if cut:
                say(cut)


@contextlib.contextmanager
def cutting_connections(url: str, say: Callable[[str], None],
                        every_s: tuple[float, float] = (2.0, 5.0),
                        seed: int = 11) -> Iterator[None]:
    """Cut a random connection to the database at `url` every few seconds while inside."""
    stop = threading.Event()
    cutter = threading.Thread(target=_cut_until, args=(stop, url, say, every_s, seed),
                              name="chaos-cutter", daemon=True)
    cutter.start()
    try:
        yield
    finally:
        stop.set()
        cutter.join(timeout=10)
