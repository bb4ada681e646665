"""Fixtures for the review page tests: a state folder with a real ledger, and the app on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bots.review import create_app
from bots.review.ground import missing_settings
from tests.review.review_helpers import ROOT, StateFolder, build_state, sign_on


@pytest.fixture
def state(tmp_path: Path) -> StateFolder:
    return build_state(tmp_path / "state")


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings the project's recipes need, as a configured server has them (stand-ins:
    a resubmit these tests start never reaches the legacy system)."""
    for names in missing_settings(ROOT / "recipes").values():
        for name in names:
            monkeypatch.setenv(name, "http://127.0.0.1:9" if name.endswith("_URL")
                               else f"test-only-{name.lower()}")


@pytest.fixture
def client(state: StateFolder, configured: None) -> Iterator[TestClient]:
    """The app on the state, configured, signed on as ana (an analyst)."""
    with TestClient(create_app(state.url, state.path, goals={})) as test_client:
        assert sign_on(test_client).status_code == 303
        yield test_client
