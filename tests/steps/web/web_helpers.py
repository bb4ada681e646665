"""Shared by the web tests: the app's credentials and its web section (a uniquely named module,
because every test folder has its own ``conftest``)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from bots.web import WebConfig

USER, PASSWORD = "clerk", "Pw-s3cret-42"
Run = Callable[[Coroutine[Any, Any, Any]], Any]


def web_config(url: str, password: str = PASSWORD, **extra: Any) -> WebConfig:
    """The legacy app's web section, with short timeouts so failures are quick."""
    return WebConfig.model_validate({
        "base_url": url,
        "login": {"url": "/login", "fields": {"User ID": USER, "Password": password},
                  "submit": "Sign On", "failure_text": "Invalid user ID or password."},
        "timeouts": {"navigation_s": 5, "action_s": 1.5},
        "isolate_network": True, **extra})


async def on_the_loop(call: Callable[[], Any]) -> Any:
    """Call a sync Playwright method that subscribes to page events (``page.on``) on the
    browser's loop: outside it, after another test's ``asyncio.run``, there is no loop."""
    return call()
