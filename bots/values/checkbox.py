"""A ticked or empty box, or its wording, as "true" or "false": anything else is an error.

The values are the strings "true" and "false", like every other output value (amounts are
"1250.00") and like an AcroForm checkbox read by a `form_field` rule, so that a web step
fills a checkbox from either alike.
"""

from __future__ import annotations

from bots.values import Read
from bots.values.choices import flat

TICKED = frozenset({"x", "✓", "✔", "☒", "☑", "■", "yes", "y", "ja", "j", "oui", "si", "sí",
                    "sì", "sim", "on", "1", "true", "checked", "ticked", "selected"})
EMPTY = frozenset({"", "☐", "□", "no", "n", "nein", "non", "nee", "não", "nao", "off", "0", "false",
                   "unchecked", "-"})


def read_checkbox(text: str) -> Read:
    """"true" for a ticked box ('X', '✓', 'Yes', 'Ja', 'On'), "false" for an empty one."""
    wanted = flat(text).strip("[]() ")  # "[X]", "( )": the brackets draw the box
    if wanted in TICKED:
        return Read("true")
    if wanted in EMPTY:
        return Read("false")
    raise ValueError(f"{text!r} is neither a ticked box (X, ✓, ☒, Yes, Ja, Oui, On, 1) nor an "
                     f"empty one (☐, No, Off, 0, nothing)")
