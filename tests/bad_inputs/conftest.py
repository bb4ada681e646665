"""Fixtures of the bad-input tests: the fixture legacy app in a subprocess."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fixtures.legacy_app import LegacyApp, launch
from tests.bad_inputs.bad_helpers import PASSWORD, USER


@pytest.fixture(scope="module")
def legacy_app() -> Iterator[LegacyApp]:
    with launch(env={"LEGACY_USER": USER, "LEGACY_PASSWORD": PASSWORD}) as app:
        app.reset()
        yield app
