"""One search in a frame's page, waiting only while nothing is there yet; the marks it leaves.

A search runs every finding strategy in one ``evaluate`` and marks the element it chose with a
token no earlier search used; the element's locator is that mark.
"""

from __future__ import annotations

import itertools
import json
import secrets
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Locator
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bots.web.find_clickables import READY_JS, SEARCH_JS
from bots.web.find_dom import MARK
from bots.web.guard import translated
from bots.web.text import label_key

_PREFIX = secrets.token_hex(3)
_COUNTER = itertools.count(1)
NAVIGATED = ("context was destroyed", "navigat", "frame was detached")
WHAT = {"field": "field", "button": "button or link", "frame": "frame"}
QUIET = {"quietMs": 1000, "minMs": 1500}  # a settled page: DOM unchanged, time into the wait
IDLE_WAIT_MS = 1000  # how long a busy page may take to go network-idle before the wait begins


def new_token() -> str:
    """A mark no earlier find on any page of this process used."""
    return f"{_PREFIX}-{next(_COUNTER)}"


def answer_of(text: str) -> Any:
    """A finder's answer from the JSON text its script returns (``SEARCH_JS``, ``SELECTED_JS``)."""
    return json.loads(text)


def marked(frame: Frame, token: str) -> Locator:
    """The locator of the element a finder marked with this token."""
    return frame.locator(f'[{MARK}="{token}"]')


async def search(frame: Frame, op: str, name: str, token: str) -> dict[str, Any]:
    """Run one search in the frame; when nothing is there yet, wait for it, then ask again."""
    arg = {"op": op, "key": label_key(name), "part": name.strip(), "token": token, "mark": True}
    async with translated(f"looking for the {WHAT[op]} '{name}'"):
        answer: dict[str, Any] = answer_of(await frame.evaluate(SEARCH_JS, arg))
        if answer["status"] == "none":
            await _wait_until_there(frame, arg | {"mark": False})
            answer = answer_of(await frame.evaluate(SEARCH_JS, arg))
    return answer


async def _wait_until_there(frame: Frame, arg: dict[str, Any]) -> None:
    """Poll in the page until the search finds something or the action timeout runs out.

    A page that has settled gives up sooner: loaded, no request running when the wait began
    (or within a second) nor when it ends, and no change to its DOM for a second (at least
    1.5 s into the wait); a page always busy (polling) is waited for the whole timeout.
    What is not there then is not coming, and a recipe that does not match the screen (or a
    control to heal) is known in about 2 s instead of the action timeout.
    """
    for _ in range(3):  # a page that navigates while rendering, or fetches late, is waited again
        try:
            arg |= {"idle": await _network_idle(frame, IDLE_WAIT_MS), **QUIET}
            ended = await frame.wait_for_function(READY_JS, arg=arg, polling=100)
            if await ended.json_value() == "found" or await _network_idle(frame, 1):
                return
            await frame.wait_for_load_state("networkidle")  # a request still runs: let it end
        except PlaywrightTimeoutError:
            return
        except PlaywrightError as error:
            if not any(word in str(error).lower() for word in NAVIGATED):
                raise


async def _network_idle(frame: Frame, within_ms: float) -> bool:
    """Whether the frame has had no request running for half a second (Playwright knows),
    or comes to that within `within_ms`."""
    try:
        await frame.wait_for_load_state("networkidle", timeout=within_ms)
    except PlaywrightTimeoutError:
        return False
    return True
