"""Fake step and resource types for the engine's pure-logic tests (its own module name, so that
the test files can import it beside the several conftest.py files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from bots.kernel import StepParams, WorkItem

ITEM = WorkItem(key="0123456789abcdef01234567", name="claim.pdf", path="/tmp/claim.pdf")
ITEM_ID = "test-recipe/0123456789abcdef01234567"


class Params(StepParams):
    value: str = Field("x", description="Anything.")


class Script:
    """A fake step whose successive calls raise or return what the test says."""

    def __init__(self, *results: Any) -> None:
        self.results = list(results)
        self.calls = 0

    def __call__(self, params: Params, ctx: Any) -> Any:
        self.calls += 1
        result = self.results.pop(0) if len(self.results) > 1 else self.results[0]
        if isinstance(result, BaseException):
            raise result
        return result


class FakeResource:
    """A resource that records what the engine asked of it."""

    def __init__(self, journal: list[str], name: str) -> None:
        self.journal, self.name = journal, name

    async def evidence(self, folder: Path, label: str) -> dict[str, Any]:
        self.journal.append(f"{self.name}:evidence:{label}")
        return {"screenshot": str(folder / f"{label}.png")}

    async def reset(self) -> None:
        self.journal.append(f"{self.name}:reset")

    async def release(self, *, ended_done: bool) -> None:
        self.journal.append(f"{self.name}:release:{'done' if ended_done else 'not done'}")


class FakeProvider:
    """Opens numbered fake resources; `fail` makes opening raise."""

    def __init__(self, journal: list[str], fail: BaseException | None = None) -> None:
        self.journal, self.fail, self.opened = journal, fail, 0

    async def open(self) -> FakeResource:
        if self.fail is not None:
            raise self.fail
        self.opened += 1
        return FakeResource(self.journal, f"r{self.opened}")

    async def stop(self) -> None:
        self.journal.append("stopped")
