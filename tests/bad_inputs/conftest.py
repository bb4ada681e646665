"""Fixtures of the bad-input tests: the fixture legacy app in a subprocess, and helpers' path."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bad_helpers import PASSWORD, USER  # noqa: E402

from fixtures.legacy_app import LegacyApp, launch  # noqa: E402


@pytest.fixture(scope="module")
def legacy_app() -> Iterator[LegacyApp]:
    with launch(env={"LEGACY_USER": USER, "LEGACY_PASSWORD": PASSWORD}) as app:
        app.reset()
        yield app
