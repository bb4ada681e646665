"""Click a button and wait for what really happens (contract; implemented by the wait work).

Today's behaviour until then: every click waits for a navigation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.async_api import Page, Response

from bots.web.guard import translated
from bots.web.targets import Button, Found


@dataclass
class Clicked:
    """What a click led to: the navigation's response (None: no navigation), dialogs seen."""

    response: Response | None = None
    navigated: bool = False
    dialogs: list[str] = field(default_factory=list)  # the texts of alerts/confirms answered


async def click_and_wait(page: Page, found: Found, button: Button) -> Clicked:
    """Click the found button and wait for its effect."""
    async with translated(f"clicking '{button.name}'"):
        async with page.expect_navigation() as navigation:
            await found.locator.click()
        return Clicked(await navigation.value, navigated=True)
