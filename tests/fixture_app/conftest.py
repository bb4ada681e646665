"""Fixtures for the legacy app tests: one server for the session, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from fixtures.legacy_app import LegacyApp, launch
from tests.fixture_app.legacy_screen import CREDENTIALS, Screen, get, submit


@pytest.fixture(scope="session")
def running_app() -> Iterator[LegacyApp]:
    with launch(env=CREDENTIALS) as app:
        yield app


@pytest.fixture
def app(running_app: LegacyApp) -> LegacyApp:
    running_app.reset()
    return running_app


@pytest.fixture
def anonymous(app: LegacyApp) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=app.url, timeout=10.0) as client:
        yield client


@pytest.fixture
def client(anonymous: httpx.Client) -> httpx.Client:
    """A client signed on as the clerk."""
    login = get(anonymous, "/login")
    response = submit(anonymous, login, {"User ID:": CREDENTIALS["LEGACY_USER"],
                                         "Password:": CREDENTIALS["LEGACY_PASSWORD"]}, "Sign On")
    assert Screen(response).title == "Main Menu"
    return anonymous
