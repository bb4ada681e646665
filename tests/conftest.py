"""Fixtures every test folder may use: a fresh PostgreSQL database for the scale-out tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

POSTGRES = "postgresql://root@127.0.0.1:5432"


@pytest.fixture
def database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test (skipped where no server runs)."""
    psycopg = pytest.importorskip("psycopg")
    name = f"bots_test_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL server on 127.0.0.1:5432 for the scale-out test ({error})")
    admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{POSTGRES}/{name}"
    admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.close()
