"""Click a button and wait for what really happens: a navigation, the page settling, or
the recipe's ``wait_for``.

One click, in order:

1. the control must be able to take it (``bots.web.ready``): a ready control is clicked at
   once; a hidden, disabled or covered one is waited for up to the page's action timeout
   (``web.timeouts.action_s``), then reported as CONTROL_NOT_READY naming the reason, unclicked;
2. the click itself, with the page's dialogs answered as the button says (``dialog:``) or by
   the default (``bots.web.dialogs``); their messages are returned;
3. its aftermath (``bots.web.settle``): a navigation it started is followed to the new page's
   load; requests it started are let finish; when it started neither (a client-rendered page
   changing in place) nothing more is waited for;
4. the button's ``wait_for:`` (``bots.web.waits``), when the recipe gives one: it then says
   when the click has done its work, so the requests are not also let settle in step 3 (that
   would cost a quiet period per click on a form that saves each row with a fetch). Red error
   text ends it too (``Clicked.refused``): a refused submit never shows its confirmation, and
   the caller's rejection check (``bots.web.guard``) says why, at once instead of after the
   timeout.

Every wait after the click has ``timeout_s``: the caller's, else the page's default set where
the page is made (``set_page_defaults``: ``web.timeouts.navigation_s``), else 30 s;
``wait_for.timeout_s`` overrides it for that wait. A wait that runs out is a TIMEOUT whose
message names what it waited for and says that the click happened (``details['clicked']``),
so the engine can tell a submit that may have happened from one that did not.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from playwright.async_api import Frame, Locator, Page, Response
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bots.kernel.errors import TransientError
from bots.web.dialogs import Answered, desk_for
from bots.web.guard import translated
from bots.web.ready import not_ready, readiness
from bots.web.settle import (
    Traffic,
    follow_navigation,
    frame_leaving,
    navigation_started,
    settle,
    watch_frame,
    watch_leaving,
)
from bots.web.targets import Button, DialogAnswer, Found, WaitFor
from bots.web.waits import wait_for

DEFAULT_TIMEOUT_S = 30.0  # the web section's default navigation timeout, for pages without one
CLICK_DONE = "click action done"  # in Playwright's call log once the click was dispatched
MAX_HOPS = 5  # navigations and rounds of requests one click may chain (save, then redirect)


@dataclass
class Clicked:
    """What a click led to: the navigation's response (None: no navigation), dialogs seen."""

    response: Response | None = None
    navigated: bool = False
    dialogs: list[str] = field(default_factory=list)  # the texts of alerts/confirms answered
    refused: bool = False  # red error text came instead of the button's wait_for


_TIMEOUTS: WeakKeyDictionary[Page, float] = WeakKeyDictionary()


def set_page_defaults(page: Page, *, timeout_s: float | None = None,
                      dialogs: DialogAnswer | None = None) -> None:
    """What the page's clicks default to, set where the page is made: how long to wait after a
    click (``web.timeouts.navigation_s``) and how to answer dialogs (``web.dialogs``)."""
    if timeout_s:
        _TIMEOUTS[page] = timeout_s
    desk_for(page, dialogs)


async def click_and_wait(page: Page, found: Found, button: Button, *,
                         timeout_s: float | None = None,
                         dialogs: DialogAnswer | None = None) -> Clicked:
    """Click the found button once it can take a click, and wait for its effect.

    `dialogs` answers the dialogs the click opens when the button does not say (default:
    the page's default, "accept")."""
    seconds = timeout_s or _TIMEOUTS.get(page, DEFAULT_TIMEOUT_S)
    after = f"clicking '{button.name}' (the click happened)"
    desk = desk_for(page)
    async with translated("watching the page"):
        await watch_leaving(page)
        frame = await frame_of(found.locator) if button.frame else None
    with Traffic(page) as traffic, desk.answering(button.dialog or dialogs, button.name) as seen:
        await click_when_ready(found.locator, button.name, traffic)
        async with translated(f"waiting after {after}"):
            clicked = await aftermath(page, traffic, time.monotonic() + seconds, button.name,
                                      seen, settling=button.wait_for is None, frame=frame)
        if button.wait_for:
            scopes = [page.main_frame, *([frame] if frame and frame != page.main_frame else [])]
            clicked.refused = not await waited_for(page, button.wait_for, seconds, after, scopes)
        clicked.dialogs = list(seen.messages)
    return clicked


async def waited_for(page: Page, wait: WaitFor, seconds: float, after: str,
                     scopes: list[Frame]) -> bool:
    """The button's wait_for after its click, on the page and in the button's frame: True
    when it held, False when red error text came instead; a TIMEOUT says the click happened
    (``details['clicked']``)."""
    try:
        return await wait_for(page, wait, seconds, after, scope=scopes, or_red_errors=True)
    except TransientError as error:
        error.details["clicked"] = True
        raise


async def click_when_ready(locator: Locator, name: str, traffic: Traffic) -> None:
    """Click the control once it is visible, enabled and uncovered; never blindly.

    Playwright's click also waits for a navigation the click scheduled to commit; when that
    runs out the click did happen (its log says so, or requests began): the aftermath follows
    the navigation. Otherwise the control never became ready: CONTROL_NOT_READY, unclicked."""
    async with translated(f"clicking '{name}'"):
        try:
            await locator.click()
        except PlaywrightTimeoutError as error:
            if CLICK_DONE in str(error) or traffic.active():
                return
            raise not_ready(name, await readiness(locator)) from None


async def frame_of(locator: Locator) -> Frame | None:
    """The frame a control in an iframe is in, its leave watch armed (None: not found now)."""
    handles = await locator.element_handles()
    frame = await handles[0].owner_frame() if handles else None
    for handle in handles:
        await handle.dispose()
    if frame is not None:
        await watch_frame(frame)
    return frame


async def aftermath(page: Page, traffic: Traffic, until: float, name: str,
                    answered: Answered, *, settling: bool = True,
                    frame: Frame | None = None) -> Clicked:
    """Follow what the click started: navigations to their load, requests to their end.

    Without `settling` (the button has its own ``wait_for``, which then says when the click
    has done its work) only a navigation the click started is followed. A button in a
    `frame` may post a form inside it: the frame's new document is waited for too."""
    clicked = Clicked()
    if frame is not None and settling and frame != page.main_frame:
        await frame_leaving(frame, traffic, until)
    for _ in range(MAX_HOPS):
        if await navigation_started(page, traffic, until, lambda: answered.stayed):
            what = f"the page to load after clicking '{name}' (the click happened)"
            clicked.response = await follow_navigation(page, traffic, until, what)
            clicked.navigated = True
        what = f"the page to settle after clicking '{name}' (the click happened)"
        if not settling or not await settle(traffic, until, what):
            break
    return clicked
