"""The browser side of the toolkit: find and launch Chromium, one signed-on page per work item,
and form helpers that find fields by their visible labels (see ``bots/steps/web``).

The names below are imported on first use: importing any ``bots.web`` module (the heal store a
run reads at its end, a recipe's ``web:`` settings) must not import Playwright.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bots.web.browser import find_browser, launch_args
    from bots.web.config import LoginConfig, Timeouts, Viewport, WebConfig
    from bots.web.session import BrowserPool, ItemSession

_HOMES = {"find_browser": "browser", "launch_args": "browser", "LoginConfig": "config",
          "Timeouts": "config", "Viewport": "config", "WebConfig": "config",
          "BrowserPool": "session", "ItemSession": "session"}

__all__ = ["BrowserPool", "ItemSession", "LoginConfig", "Timeouts", "Viewport", "WebConfig",
           "find_browser", "launch_args"]


def __getattr__(name: str) -> Any:
    """A re-exported name (or a submodule), imported when first asked for."""
    if name in _HOMES:
        return getattr(importlib.import_module(f"bots.web.{_HOMES[name]}"), name)
    try:
        return importlib.import_module(f"bots.web.{name}")
    except ModuleNotFoundError:
        raise AttributeError(f"module 'bots.web' has no attribute '{name}'") from None
