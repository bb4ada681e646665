"""Text as a person reads it on a screen: non-breaking and repeated spaces are one space.

Every comparison of a recipe's text with a page's text (labels, button texts, messages to wait
for, "not found" texts) goes through ``plain`` so that ``Policy&nbsp;Number`` matches
``Policy Number``; labels also drop case and a trailing colon or asterisk (``label_key``).
"""

from __future__ import annotations

import re

SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u200b]+")


def plain(text: str) -> str:
    """The text with every run of (non-breaking, zero-width) spaces as one space, trimmed."""
    return SPACES.sub(" ", text).strip()


def label_key(text: str) -> str:
    """A label as compared: plain, lower case, without a trailing ':' or '*' (required mark)."""
    return plain(text).rstrip(":*").strip().rstrip(":*").strip().lower()
