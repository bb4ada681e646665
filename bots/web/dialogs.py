"""Browser dialogs (alert, confirm, prompt, beforeunload): answered, recorded, never blocking.

A dialog freezes its page until someone answers it. Playwright dismisses every dialog itself
while a page has no ``dialog`` listener, but a page with a listener that does not answer hangs.
So each page gets exactly one listener, a ``DialogDesk``, installed at the first click
(``desk_for``) and kept for the page's life. It answers:

- during a click (``answering``): as the button says (``dialog: accept|dismiss``), else the
  web section's default (``web.dialogs``, "accept": clicking Submit and being asked "Are you
  sure?" means yes); the messages go into the click's ``Clicked.dialogs``;
- at any other time (a field's change handler, a timer): with the page's default.

A prompt that is accepted gets its default text. Every dialog is logged as ``web.dialog``
(its type, message, answer and the button being clicked, if any).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

import structlog
from playwright.async_api import Dialog, Page
from playwright.async_api import Error as PlaywrightError

from bots.web.targets import DialogAnswer

DEFAULT_ANSWER: DialogAnswer = "accept"


@dataclass
class Answered:
    """The dialogs answered during one click."""

    messages: list[str] = field(default_factory=list)
    stayed: bool = False  # a "leave this page?" was dismissed: the navigation will not come


class DialogDesk:
    """The one dialog listener of a page: answers each dialog and notes its message."""

    def __init__(self, default: DialogAnswer = DEFAULT_ANSWER) -> None:
        self.default: DialogAnswer = default
        self._answer: DialogAnswer | None = None  # the current click's answer
        self._during: str | None = None  # the button being clicked
        self._seen: Answered | None = None  # the current click's dialogs

    @contextmanager
    def answering(self, answer: DialogAnswer | None, during: str) -> Iterator[Answered]:
        """While clicking `during`: answer dialogs with `answer` and collect their messages."""
        seen = Answered()
        self._answer, self._during, self._seen = answer, during, seen
        try:
            yield seen
        finally:
            self._answer, self._during, self._seen = None, None, None

    async def on_dialog(self, dialog: Dialog) -> None:
        """Answer one dialog (Playwright calls this for every dialog the page opens)."""
        answer = self._answer or self.default
        if self._seen is not None:
            self._seen.messages.append(dialog.message)
            self._seen.stayed |= dialog.type == "beforeunload" and answer == "dismiss"
        structlog.get_logger().info("web.dialog", type=dialog.type, message=dialog.message,
                                    answer=answer, button=self._during)
        try:
            if answer == "accept":
                await dialog.accept(dialog.default_value if dialog.type == "prompt" else None)
            else:
                await dialog.dismiss()
        except PlaywrightError:
            pass  # the page closed or navigated meanwhile: nothing is left to answer


_DESKS: WeakKeyDictionary[Page, DialogDesk] = WeakKeyDictionary()


def desk_for(page: Page, default: DialogAnswer | None = None) -> DialogDesk:
    """The page's dialog desk, installed on first use; `default` updates its default answer."""
    desk = _DESKS.get(page)
    if desk is None:
        desk = _DESKS[page] = DialogDesk()
        page.on("dialog", desk.on_dialog)
    if default is not None:
        desk.default = default
    return desk
