"""One web step's view of its page: controls found the recipe's way, or healed, and remembered.

Web steps find every field and button through a ``Screen``. It asks ``bots.web.find`` first;
when the recipe's way finds nothing (the screen changed under the recipe), and the step may heal,
it asks the step's ``ControlMemory`` (``bots.web.heal``) to re-find the control from the
fingerprint kept at its last success. Every control used is kept, so that when the step
succeeds its fingerprints are remembered (``remember``) and what was healed is reported with
its proof (``healed``).
"""

from __future__ import annotations

from typing import Any, Protocol

from playwright.async_api import Page

from bots.web.find import find_button, find_field
from bots.web.targets import Button, ControlMissing, Found


class ControlMemory(Protocol):
    """What one recipe step remembers of the controls it used, and how it re-finds them."""

    async def heal(self, page: Page, what: str, name: str, missing: ControlMissing) -> Found:
        """The one clear candidate for a lost control (``how='healed'``); else raise missing."""
        ...

    def remember(self, used: list[tuple[str, str, Found]]) -> None:
        """Keep the fingerprints of the controls a successful step used."""
        ...


class Screen:
    """A page as one step sees it: find fields and buttons, heal, remember."""

    def __init__(self, page: Page, memory: ControlMemory | None = None) -> None:
        self.page = page
        self.memory = memory
        self.used: list[tuple[str, str, Found]] = []  # (what, name, found), in order of use

    async def field(self, name: str, *, selector: str | None = None,
                    frame: str | None = None) -> Found:
        """The control for a field: by its label (the name), or its selector and frame."""
        try:
            found = await find_field(self.page, name, selector=selector, frame=frame)
        except ControlMissing as missing:
            found = await self._healed("field", name, missing)
        self.used.append(("field", name, found))
        return found

    async def button(self, button: Button) -> Found:
        """The button or link to click: by its text, value, aria-label, title or selector."""
        try:
            found = await find_button(self.page, button)
        except ControlMissing as missing:
            found = await self._healed("button", button.name, missing)
        self.used.append(("button", button.name, found))
        return found

    async def _healed(self, what: str, name: str, missing: ControlMissing) -> Found:
        if self.memory is None or missing.ambiguous:
            raise missing
        return await self.memory.heal(self.page, what, name, missing)

    @property
    def healed(self) -> list[dict[str, Any]]:
        """The controls re-found by fingerprint in this step: what, name, how found now."""
        return [{"what": what, "name": name, "now": found.fingerprint}
                for what, name, found in self.used if found.how == "healed"]

    def remember(self) -> None:
        """The step succeeded: keep the fingerprints of every control it used."""
        if self.memory is not None:
            self.memory.remember(self.used)
