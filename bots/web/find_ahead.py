"""A form's fields found in one browser call before they are filled, each answer used once.

Finding a field costs a browser round trip, about as much as a bare script's whole fill; a
form of seven fields would pay it seven times. ``find_ahead`` runs the label search for all of
them at once (the page's labels are indexed once); ``find_field`` then takes a field's answer
(``taken_ahead``) instead of asking the page again. Answers are only good while the page
stays as it was: the caller forgets them (``forget_ahead``) when it leaves the form, and after
any choice (a select, a radio, a checkbox) that may redraw the fields after it.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from playwright.async_api import Page

from bots.web.find_clickables import SEARCH_JS
from bots.web.find_search import answer_of, marked, new_token
from bots.web.guard import translated
from bots.web.targets import Found
from bots.web.text import label_key

_AHEAD: WeakKeyDictionary[Page, dict[str, tuple[str, dict[str, Any]]]] = WeakKeyDictionary()


async def find_ahead(page: Page, names: list[str]) -> None:
    """Find these fields (by label, in the main frame) in one call, for ``find_field``."""
    names = list(dict.fromkeys(names))
    if len(names) < 2:
        return
    tokens = [new_token() for _ in names]
    arg = {"op": "fields", "keys": [[label_key(name), token]
                                    for name, token in zip(names, tokens, strict=True)]}
    async with translated("looking for the form's fields"):
        answers: list[dict[str, Any]] = answer_of(await page.main_frame.evaluate(SEARCH_JS, arg))
    _AHEAD[page] = {name: (token, answer) for name, token, answer
                    in zip(names, tokens, answers, strict=True) if answer["status"] == "found"}


def taken_ahead(page: Page, name: str) -> Found | None:
    """The field found ahead under this label (once); None: search the page now."""
    entry = _AHEAD.get(page, {}).pop(name, None)
    if entry is None:
        return None
    token, answer = entry
    return Found(marked(page.main_frame, token), answer["kind"], answer["how"],
                 answer["fingerprint"] | {"frame": None})


def forget_ahead(page: Page) -> None:
    """Drop what was found ahead on this page (it may have changed)."""
    _AHEAD.pop(page, None)
