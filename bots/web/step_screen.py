"""The screen a web step works on: its item's page, with the step's memory, at its URL."""

from __future__ import annotations

from bots.kernel import StepContext
from bots.web.heal import memory_for
from bots.web.screen import Screen
from bots.web.session import web_of


async def step_screen(ctx: StepContext, url: str | None) -> Screen:
    """The item's page as a Screen that heals and remembers for this step; opened at `url`
    (relative to web.base_url) when given, else left as it is (a batch session's page;
    one still blank opens at web.base_url)."""
    return Screen(await web_of(ctx).page_at(url), memory_for(ctx))
