"""What a table cell's text is: text, a whole number, an amount or a date.

Cells are typed by the same conversion as a single field (bots/pdf/value_types.py's
ValueRule), with the field rule's hints (`decimal`, `dayfirst` ...), so a table and a field
of one layout read "1.234,50" alike, and the same doubts (an ambiguous date, a guessed
separator) lower the table's confidence. A cell carries no currency field of its own; a count
may carry its unit ('2 Stk', '10 pcs').
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from bots.pdf.table_rule import CellType
from bots.pdf.value_types import ValueRule

UNIT = re.compile(r"(.*?\d)(?:\s+[^\W\d_]{1,5}|[^\W\d_]{2,5})\.?")  # '2 Stk', '10pcs', '3 h'
COUNT = re.compile(r"[-+]?\d[\d.,' ]*")
NO_CURRENCY = "XXX"  # ISO 4217's "no currency": lets an amount cell convert without one


def typed_cell(text: str, kind: CellType, hints: ValueRule) -> Any:
    """One cell's normalized value (raises ValueError); empty text is None."""
    return read_cell(text, kind, hints)[0]


def read_cell(text: str, kind: CellType, hints: ValueRule) -> tuple[Any, tuple[str, ...]]:
    """One cell's normalized value and the type's doubts about it (raises ValueError)."""
    text = " ".join(text.split())
    if not text:
        return None, ()
    if kind == "text":
        return text, ()
    if kind == "int":
        return whole_number(text, hints)
    return convert(hints, "date" if kind == "date" else "amount", text)


def whole_number(text: str, hints: ValueRule) -> tuple[int, tuple[str, ...]]:
    """A count, e.g. '1,500' or '2 Stk' (a unit word after the number is left out)."""
    unit = UNIT.fullmatch(text)
    number = unit.group(1) if unit else text
    if not COUNT.fullmatch(number):
        raise ValueError("expected a whole number, e.g. 12 or 12 pcs")
    value, doubts = convert(hints, "amount", number)
    if Decimal(value) != Decimal(value).to_integral_value():
        raise ValueError("expected a whole number, e.g. 12 or 12 pcs")
    return int(Decimal(value)), doubts


def convert(hints: ValueRule, kind: str, text: str) -> tuple[str, tuple[str, ...]]:
    """The text converted as a field of type ``kind`` with the rule's hints, and the doubts
    that matter for a cell (a cell keeps no currency, so which dollar a bare $ is does not)."""
    typing = hints.model_copy(update={
        "type": kind, "default_currency": hints.default_currency or NO_CURRENCY})
    with_doubts = getattr(typing, "convert_with_doubts", None)
    if with_doubts is None:
        return typing.convert("cell", text)["cell"], ()
    conversion = with_doubts("cell", text)
    doubts = tuple(str(doubt) for doubt in conversion.doubts
                   if not str(doubt).startswith("bare "))
    return conversion.values["cell"], doubts


def reads_as(text: str, kind: CellType, hints: ValueRule) -> bool:
    """Whether a non-empty cell converts to its type."""
    try:
        return typed_cell(text, kind, hints) is not None
    except ValueError:
        return False
