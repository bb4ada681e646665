"""End-to-end fixtures: the fixture legacy app in a subprocess, reset before each test."""

from __future__ import annotations

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


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> dict[str, str]:
    """The environment that picks the state database: the default, or a new PostgreSQL one."""
    if request.param == "sqlite":
        return {}
    return {"BOTS_DATABASE_URL": request.getfixturevalue("database")}
