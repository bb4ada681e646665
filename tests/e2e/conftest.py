"""End-to-end fixtures: the fixture legacy app in a subprocess, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from runner_support import PASSWORD, USER

from fixtures.legacy_app import LegacyApp, launch


@pytest.fixture(scope="module")
def legacy_app() -> Iterator[LegacyApp]:
    with launch(env={"LEGACY_USER": USER, "LEGACY_PASSWORD": PASSWORD}) as app:
        yield app


@pytest.fixture
def app(legacy_app: LegacyApp) -> LegacyApp:
    legacy_app.reset()
    return legacy_app
