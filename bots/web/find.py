"""Find a field or a button the ways real pages label them, in one browser call.

``find_field(page, name, selector=, frame=)`` and ``find_button(page, button)`` answer with a
``Found`` or raise ``ControlMissing`` (SCREEN_MISMATCH). One ``evaluate`` runs every strategy in
the page (``bots.web.find_labels``, ``bots.web.find_clickables``: labels for, wrapping and
sibling labels, aria, placeholders, table cells left and above, ``<dt>``/``<dd>``, legends;
open shadow roots included), marks the element it chose with a fresh token and returns its
fingerprint; the ``Found``'s locator is that mark, so the fill or click is the only other call.
Only when nothing is found yet (a page still rendering) does it wait, polling in the page up to
the action timeout; a settled page (loaded, network idle, DOM unchanged for a second) gives up
after about 2 s (``bots.web.find_search``). A form's fields are found together before they are
filled (``bots.web.find_ahead``). Widgets drawn from divs count by their ARIA role (checkbox,
switch, radio in a radiogroup, textbox, searchbox).

``selector:`` takes whatever Playwright's locators take (CSS, ``xpath=...`` or ``//...``,
``role=...``, ``text=...``, ``css=...``); its matches must be one visible control (several
radios of one name are their group). ``frame:`` names an iframe by its name, its title or a CSS
selector of the iframe element; ``outer >> inner`` goes into a frame inside a frame.

The fingerprint (for healing) has: label (as shown), how, tag, type, role, accessible_name, id,
name, placeholder, near (the nearest text before it, else after it), near_after, box {x, y,
w, h}, visible, frame (and selector, when the recipe gave one).
"""

from __future__ import annotations

import contextlib
from typing import Any

from playwright.async_api import Frame, Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bots.web.find_ahead import taken_ahead
from bots.web.find_clickables import SELECTED_JS
from bots.web.find_frame import frame_of
from bots.web.find_search import WHAT, answer_of, marked, new_token, search
from bots.web.guard import translated
from bots.web.targets import Button, ControlMissing, Found


async def find_field(page: Page, name: str, *, selector: str | None = None,
                     frame: str | None = None) -> Found:
    """The control labelled `name` (or at `selector`), inside `frame` when given."""
    ahead = None if selector or frame else taken_ahead(page, name)
    if ahead is not None:
        return ahead
    where = await frame_of(page, frame)
    if selector:
        return await _selected(where, "field", name, selector, frame)
    return await _searched(where, "field", name, frame)


async def find_button(page: Page, button: Button) -> Found:
    """The button or link the recipe names: by text, value, aria-label, title or selector."""
    where = await frame_of(page, button.frame)
    if button.selector:
        return await _selected(where, "button", button.name, button.selector, button.frame)
    return await _searched(where, "button", button.name, button.frame)


async def _searched(frame: Frame, op: str, name: str, frame_name: str | None) -> Found:
    token = new_token()
    answer = await search(frame, op, name, token)
    return _found(frame, answer, op, name, frame_name, token)


async def _selected(frame: Frame, op: str, name: str, selector: str,
                    frame_name: str | None) -> Found:
    token = new_token()
    arg = {"op": op, "name": name, "token": token, "mark": True}
    matches = frame.locator(selector)
    async with translated(f"looking for the {WHAT[op]} '{name}' at {selector!r}"):
        answer: dict[str, Any] = answer_of(await matches.evaluate_all(SELECTED_JS, arg))
        if answer["status"] == "none":
            await _wait_for_selector(matches)
            answer = answer_of(await matches.evaluate_all(SELECTED_JS, arg))
    if answer["status"] == "none":
        raise ControlMissing(f"The selector {selector!r} of the {WHAT[op]} '{name}' matches "
                             f"nothing on {frame.url}; check it against the screen.",
                             what=op, name=name, selector=selector, url=frame.url)
    return _found(frame, answer, op, name, frame_name, token, selector)


async def _wait_for_selector(matches: Any) -> None:
    with contextlib.suppress(PlaywrightTimeoutError):
        await matches.first.wait_for(state="attached")


def _found(frame: Frame, answer: dict[str, Any], op: str, name: str, frame_name: str | None,
           token: str, selector: str | None = None) -> Found:
    if answer["status"] == "found":
        fingerprint = answer["fingerprint"] | {"frame": frame_name}
        if selector:
            fingerprint["selector"] = selector
        return Found(marked(frame, token), answer["kind"], answer["how"], fingerprint)
    if answer["status"] == "ambiguous":
        raise _ambiguous(frame, answer["candidates"], op, name, selector)
    raise _missing(frame, answer, op, name)


def _ambiguous(frame: Frame, candidates: list[str], op: str, name: str,
               selector: str | None) -> ControlMissing:
    how = f"The selector {selector!r} matches" if selector else f"'{name}' names"
    kinds = "fields" if op == "field" else "buttons or links"
    return ControlMissing(f"{how} {len(candidates)} visible {kinds} on {frame.url}: "
                          + "; ".join(candidates) + ". Add selector: (or frame:) to the recipe "
                          "to say which one.", what=op, name=name, candidates=candidates,
                          url=frame.url)


def _missing(frame: Frame, answer: dict[str, Any], op: str, name: str) -> ControlMissing:
    if answer.get("shown"):
        nothing = "no field next to it" if op == "field" else "no button or link with it"
        message = (f"The page {frame.url} shows the text '{name}' but {nothing}; add "
                   f"selector: (CSS, xpath=... or role=...) to '{name}' in the recipe.")
    else:
        seen = ", ".join(repr(text) for text in answer.get("seen", [])) or "none"
        if op == "field":
            message = f"No field labelled '{name}' on {frame.url}; its field labels are: {seen}."
        else:
            message = f"No button or link '{name}' on {frame.url}; its buttons are: {seen}."
        message += " Check the recipe against the screen (or add selector:)."
    return ControlMissing(message, what=op, name=name, seen=answer.get("seen", []),
                          url=frame.url)
