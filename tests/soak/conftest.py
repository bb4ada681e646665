"""Soak fixtures: the fixture legacy app in a subprocess, one per test module, reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bots.kernel.errors import BotError
from bots.web.browser import find_browser
from fixtures.legacy_app import LegacyApp, launch
from tests.soak.soak_support import PASSWORD, USER


@pytest.fixture(scope="module")
def legacy_app() -> Iterator[LegacyApp]:
    """The fixture legacy app for a whole test module (skipped without Chromium)."""
    try:
        find_browser()
    except BotError as error:  # the runner finds its own; without one it cannot soak
        pytest.skip(str(error))
    with launch(env={"LEGACY_USER": USER, "LEGACY_PASSWORD": PASSWORD}) as app:
        yield app


@pytest.fixture
def app(legacy_app: LegacyApp) -> LegacyApp:
    """The legacy app emptied and with every fault off, for one test."""
    legacy_app.reset()
    return legacy_app
