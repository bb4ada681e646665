"""Click a button and wait for what really happens (contract; implemented by the wait work).

Today's behaviour until then: every click waits for a navigation.
"""

from __future__ import annotations

from playwright.async_api import Page, Response

from bots.web.guard import translated
from bots.web.targets import Button, Found


async def click_and_wait(page: Page, found: Found, button: Button) -> Response | None:
    """Click the found button and wait for its effect; the navigation's response, if any."""
    async with translated(f"clicking '{button.name}'"):
        async with page.expect_navigation() as navigation:
            await found.locator.click()
        return await navigation.value
