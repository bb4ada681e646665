"""Fixtures for the engine's tests: fake step and resource types in the real registry."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bots.kernel import ResourceType, StepType
from bots.steps.registry import all_resources, all_steps
from tests.engine.engine_fakes import FakeProvider, Params, Script


@pytest.fixture
def fake_steps(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Script]:
    """Register fake step types (`fake.work`, `fake.submit` with side_effect=True, ...)."""

    def install(name: str, script: Script, *, side_effect: bool = False,
                needs: tuple[str, ...] = (), marks_submit: bool = False) -> Script:
        step_type = StepType(name, Params, script, side_effect, needs=needs,
                             marks_submit=marks_submit)
        monkeypatch.setitem(all_steps(), name, step_type)
        return script

    return install


@pytest.fixture
def fake_resource(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakeProvider]:
    """Register a fake resource type `fake` of the given scope; its provider."""

    def install(journal: list[str], *, scope: str = "item",
                fail: BaseException | None = None) -> FakeProvider:
        provider = FakeProvider(journal, fail)
        kind = ResourceType(name="fake", start=lambda _settings: provider, scope=scope)  # type: ignore[arg-type]
        monkeypatch.setitem(all_resources(), "fake", kind)
        return provider

    return install
