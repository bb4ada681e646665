"""What a found text IS: dates, amounts, currencies, identifiers, choices, checkboxes.

Each reader takes the text as found and returns a ``Read`` (the canonical value and the
doubts met on the way: an ambiguous date, a bare ``$``, a fuzzy match), or raises
``ValueError`` with a message that quotes the text and says what to write in the recipe.
The PDF field rules (bots/pdf/value_types.py) compose them; nothing here knows a document.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Read(NamedTuple):
    """A value read from text, and the doubts (short sentences) a reviewer should see."""

    value: Any
    doubts: tuple[str, ...] = ()
