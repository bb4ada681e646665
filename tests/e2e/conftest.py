"""End-to-end fixtures: the fixture legacy app in a subprocess, reset before each test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from fixtures.legacy_app import LegacyApp, launch
from tests.e2e.runner_support import PASSWORD, USER


@pytest.fixture(scope="module")
def legacy_app() -> Iterator[LegacyApp]:
    with launch(env={"LEGACY_USER": USER, "LEGACY_PASSWORD": PASSWORD}) as app:
        yield app


@pytest.fixture
def app(legacy_app: LegacyApp) -> LegacyApp:
    legacy_app.reset()
    return legacy_app


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
