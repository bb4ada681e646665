"""A recipe's regular expression checked when the recipe loads, with an example to copy."""

from __future__ import annotations

import re


def valid_regex(pattern: str, what: str = "pattern", example: str = "") -> str:
    """The pattern, or ValueError naming it, Python's reason and an example of a good one
    (for pydantic validators: the message reaches the recipe's file:line)."""
    try:
        re.compile(pattern)
    except re.error as error:
        hint = f"; e.g. {example!r}" if example else ""
        raise ValueError(f"{what} {pattern!r} is not a regular expression ({error}){hint}"
                         ) from None
    return pattern
