"""The browser side of the toolkit: find and launch Chromium, one signed-on page per work item,
and form helpers that find fields by their visible labels (see ``bots/steps/web``)."""

from bots.web.browser import find_browser, launch_args
from bots.web.config import LoginConfig, Timeouts, Viewport, WebConfig
from bots.web.session import BrowserPool, ItemSession

__all__ = ["BrowserPool", "ItemSession", "LoginConfig", "Timeouts", "Viewport", "WebConfig",
           "find_browser", "launch_args"]
