"""``WebProvider.warm``: the browser starts ahead of the first item, once, and never leaks."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bots.engine.resources import ResourcePool
from bots.recipe import load_recipe
from bots.web.resource import WebProvider
from bots.web.session import BrowserPool, ItemSession
from tests.steps.web.web_helpers import web_config


class FakePool:
    """Stands for a launched Playwright and Chromium: says whether it was stopped."""

    def __init__(self) -> None:
        self.stopped = False

    async def stop(self) -> None:
        self.stopped = True


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[FakePool]:
    launched: list[FakePool] = []

    async def start(config: Any) -> FakePool:
        await asyncio.sleep(0.05)  # a launch takes a while: the caller goes on meanwhile
        launched.append(FakePool())
        return launched[-1]

    monkeypatch.setattr(BrowserPool, "start", staticmethod(start))
    return launched


def test_a_warmed_browser_serves_the_first_item_and_is_launched_once(started):
    async def scenario() -> None:
        provider = WebProvider(web_config("http://127.0.0.1:9"))
        provider.warm()
        provider.warm()
        session = await provider.open()
        assert isinstance(session, ItemSession) and len(started) == 1
        await provider.open()
        assert len(started) == 1
        await provider.stop()
        assert started[0].stopped

    asyncio.run(scenario())


def test_a_warmed_browser_nobody_used_is_closed_at_the_stop(started):
    async def scenario() -> None:
        provider = WebProvider(web_config("http://127.0.0.1:9"))
        provider.warm()
        await provider.stop()  # the run had nothing to do: the launch ends, then closes
        assert len(started) == 1 and started[0].stopped

    asyncio.run(scenario())


def test_the_pool_warms_the_recipes_browser(started, tmp_path):
    path = tmp_path / "warm.yaml"
    path.write_text("recipe: warm\nsource: {folder: inbox}\nweb: {base_url: 'http://127.0.0.1:9'}\n"
                    "steps:\n  - {id: read, uses: web.read_page, with: {read: {x: X}}}\n")

    async def scenario() -> None:
        pool = ResourcePool(load_recipe(str(path)))
        pool.warm()
        await asyncio.sleep(0.1)
        assert len(started) == 1  # launched before any item asked for a page
        await pool.stop()
        assert started[0].stopped

    asyncio.run(scenario())
