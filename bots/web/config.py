"""The recipe's top-level ``web:`` section: where the target system is and how to sign on.

The recipe loader validates the section with ``WebConfig`` and resolves ``${env.X}`` references
before the browser code sees it, so secret values (passwords) arrive here already resolved.
"""

from __future__ import annotations

import os
from typing import Literal
from urllib.parse import urljoin, urlsplit

from pydantic import Field, field_validator

from bots.kernel import StepParams
from bots.web.targets import DialogAnswer


class LoginConfig(StepParams):
    """How to sign on: a form filled by visible labels, then one button."""

    url: str = Field("/login", description="The sign-on page, relative to base_url or absolute.")
    fields: dict[str, str] = Field(
        description="Field label -> value, e.g. {User ID: '${env.LEGACY_USER}'}.")
    submit: str = Field(description="The text of the sign-on button, e.g. 'Sign On'.")
    success_text: str | None = Field(
        None, description="Text that must appear after a successful sign-on.")
    failure_text: str | None = Field(
        None, description="Text that appears when the sign-on was refused.")


class Timeouts(StepParams):
    """How long the browser waits before a step fails with TIMEOUT (a transient error)."""

    navigation_s: float = Field(30.0, gt=0, description="Page loads and form submits.")
    action_s: float = Field(10.0, gt=0, description="Finding and filling one field or button.")


class Viewport(StepParams):
    """The browser window size used for every page and screenshot."""

    width: int = Field(1280, ge=320)
    height: int = Field(900, ge=240)


class WebConfig(StepParams):
    """The recipe's ``web:`` section: the target system, its sign-on and the browser's limits."""

    base_url: str = Field(description="The target system's root, e.g. 'http://127.0.0.1:8080'.")
    login: LoginConfig | None = Field(None, description="Sign-on form; omit for open sites.")
    timeouts: Timeouts = Field(default_factory=lambda: Timeouts.model_validate({}))
    isolate_network: bool | None = Field(
        None, description="Block every host except base_url's and localhost "
                          "(default: env BOTS_ISOLATE_NETWORK, on unless set to 0).")
    viewport: Viewport = Field(default_factory=lambda: Viewport.model_validate({}))
    session: Literal["item", "batch"] = Field(
        "item", description="item: each item works on its own page and opens its form's URL "
                            "(a done item's signed-on context may serve the next: "
                            "reuse_sessions). batch: one signed-on page serves the items in "
                            "order and is never reset or renavigated between them (one page "
                            "per concurrent item); before_items web steps run on it first and "
                            "are replayed on every further page the batch opens.")
    dialogs: DialogAnswer = Field(
        "accept", description="How to answer a browser dialog (alert, confirm) that a button "
                              "does not answer itself with dialog: (accept: clicking Submit and "
                              "being asked 'Are you sure?' means yes).")
    reuse_sessions: bool = Field(
        True, description="Hand the signed-on browser context of an item that ended done to "
                          "the next item instead of signing on again for each one; set false "
                          "for systems whose screens carry state from one item to the next.")

    @field_validator("base_url")
    @classmethod
    def _absolute_http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base_url must be an absolute http(s) URL such as "
                             f"'http://127.0.0.1:8080', got {value!r}")
        return value

    @property
    def host(self) -> str:
        """The target system's host name (allowed through network isolation)."""
        return urlsplit(self.base_url).hostname or ""

    @property
    def isolated(self) -> bool:
        """Whether the browser may only reach the target system and localhost."""
        if self.isolate_network is not None:
            return self.isolate_network
        return os.environ.get("BOTS_ISOLATE_NETWORK", "1").strip() != "0"

    def url(self, path: str) -> str:
        """An absolute URL for a path relative to base_url (absolute URLs pass through)."""
        return urljoin(self.base_url.rstrip("/") + "/", path.lstrip("/"))
