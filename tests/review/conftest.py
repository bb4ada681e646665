"""Fixtures for the review page tests: a state folder with a real ledger, and the app on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bots.review import create_app
from tests.review.review_helpers import StateFolder, build_state, sign_on


@pytest.fixture
def state(tmp_path: Path) -> StateFolder:
    return build_state(tmp_path / "state")


@pytest.fixture
def client(state: StateFolder) -> Iterator[TestClient]:
    """The app on the state, signed on as ana (an analyst)."""
    with TestClient(create_app(state.url, state.path, goals={})) as test_client:
        assert sign_on(test_client).status_code == 303
        yield test_client
