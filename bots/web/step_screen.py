"""The screen a web step works on: its item's page, with the step's memory, at its URL."""

from __future__ import annotations

from bots.kernel import StepContext
from bots.web.forms import open_page
from bots.web.heal import memory_for
from bots.web.screen import Screen
from bots.web.session import web_of


async def step_screen(ctx: StepContext, url: str | None) -> Screen:
    """The item's page as a Screen that heals and remembers for this step; opened at `url`
    (relative to web.base_url) when given, else left as it is (a batch session's page)."""
    web = web_of(ctx)
    screen = Screen(await web.page(), memory_for(ctx))
    if url is not None:
        await open_page(screen.page, web.url(url))
    return screen
