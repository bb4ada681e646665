"""Deliberate failures, for the tests that prove nothing is lost and nothing is done twice.

Off unless the environment sets BOTS_CHAOS, e.g. `BOTS_CHAOS="kill=submit.done:2,seed=7"`:

- `kill=POINT:N` kills this process with SIGKILL the N-th time it reaches POINT (N default 1).
  Points: step.start, intent.recorded (before a side effect), submit.done (after it, before it
  is confirmed), intent.confirmed, ledger.write (inside a ledger transaction, before commit),
  item.finished (after an item's outcome is written).
- `crash_rate=P` crashes a browser page (Chrome DevTools `Page.crash`) with probability P some
  moments after each item opens it, as a renderer crash would.
- `seed=S` makes the random choices repeatable.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import threading
from collections import Counter
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the browser stack loads only for recipes that use it
    from playwright.async_api import Page

_counts: Counter[str] = Counter()
_lock = threading.Lock()


@cache
def settings() -> dict[str, str]:
    """BOTS_CHAOS as a dict (read once per process)."""
    text = os.environ.get("BOTS_CHAOS", "")
    return dict(part.split("=", 1) for part in text.split(",") if "=" in part)


@cache
def _random() -> random.Random:
    return random.Random(int(settings().get("seed", "0")))


def kill_point(point: str) -> None:
    """Die here, at once and without cleanup, if BOTS_CHAOS says so."""
    wanted = settings().get("kill")
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != point:
        return
    with _lock:
        _counts[point] += 1
        reached = _counts[point]
    if reached == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def maybe_crash_later(page: Page) -> None:
    """Schedule a renderer crash of the page with the configured probability."""
    rate = float(settings().get("crash_rate", "0"))
    if rate <= 0 or _random().random() >= rate:
        return
    delay = _random().uniform(0.2, 1.5)
    asyncio.get_running_loop().call_later(delay, lambda: asyncio.ensure_future(_crash(page)))


async def _crash(page: Page) -> None:
    with contextlib.suppress(Exception):  # the page may be closed by then: nothing to crash
        session = await page.context.new_cdp_session(page)
        await session.send("Page.crash")
