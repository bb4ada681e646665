"""Text for a terminal: control characters shown as escapes, never sent raw.

File names, messages and values come from strangers (an inbox, a target system's page). A name
holding ESC ] 0 ; ... BEL retitles the window, ESC [ 2 J clears the screen, a CR overwrites the
line before it, and U+202E turns the rest of a line around: printed as-is, a file name could
hide or forge what the ops team reads. Every line printed for people passes through `printable`.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

# C0 controls, DEL, C1 controls (U+009B is an 8-bit CSI), and the bidirectional overrides and
# isolates, which reorder what follows them on screen
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_WITH_LINES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, lines: bool = False) -> str:
    """The text with every control character written as an escape (ESC as `\\x1b`).

    `lines=True` keeps newlines and tabs, for messages made of several lines; a file name
    never needs them (a newline in a name would forge a line of output).
    """
    return (_UNSAFE_WITH_LINES if lines else _UNSAFE).sub(_escape, str(text))


def printable_json(data: Any) -> str:
    """One line of JSON that is safe on a terminal.

    json escapes C0 controls itself; with ensure_ascii off it writes DEL, C1 and the bidi
    controls raw, so those are escaped here, as JSON's own `\\u` escapes (the same data).
    """
    text = json.dumps(data, default=str, ensure_ascii=False)
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def stdout_gone() -> None:
    """stdout's reader went away (`... | head`): send later writes, the interpreter's own
    flush at exit included, to /dev/null instead of raising BrokenPipeError again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
