"""Find a field or a button the ways real pages label them (contract; implemented by find work).

``find_field(page, name, selector=, frame=)`` and ``find_button(page, button)`` answer with a
``Found`` (locator, kind, how, fingerprint) or raise ``ControlMissing`` (SCREEN_MISMATCH).
"""

from __future__ import annotations

from playwright.async_api import Page

from bots.web.targets import Button, Found


async def find_field(page: Page, name: str, *, selector: str | None = None,
                     frame: str | None = None) -> Found:
    """The control labelled `name` (or at `selector`), inside `frame` when given."""
    raise NotImplementedError


async def find_button(page: Page, button: Button) -> Found:
    """The button or link the recipe names."""
    raise NotImplementedError
