"""Fixtures for the legacy app tests: one server for the session, reset before each test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).resolve().parent
# `fixtures` is not an installed package, and legacy_screen sits beside this file
for folder in (HERE.parents[1], HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from legacy_screen import CREDENTIALS, Screen, get, submit  # noqa: E402

from fixtures.legacy_app import LegacyApp, launch  # noqa: E402


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
