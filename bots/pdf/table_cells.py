"""What a table cell's text is: text, a whole number, an amount or a date.

Cells are typed by the same conversion as a single field (bots/pdf/value_types.py's
ValueRule), with the field rule's hints (`decimal`, `dayfirst` ...), so a table and a field
of one layout read "1.234,50" alike. A cell carries no currency field of its own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bots.pdf.table_rule import CellType
from bots.pdf.value_types import ValueRule

NO_CURRENCY = "XXX"  # ISO 4217's "no currency": lets an amount cell convert without one


def typed_cell(text: str, kind: CellType, hints: ValueRule) -> Any:
    """One cell's normalized value (raises ValueError); empty text is None."""
    text = " ".join(text.split())
    if not text:
        return None
    if kind == "text":
        return text
    if kind == "date":
        return convert(hints, "date", text)
    amount = convert(hints, "amount", text)
    if kind == "amount":
        return amount
    if Decimal(amount) != Decimal(amount).to_integral_value() or not text[-1].isdigit():
        raise ValueError("expected a whole number, e.g. 12")
    return int(Decimal(amount))


def convert(hints: ValueRule, kind: str, text: str) -> str:
    """The text converted as a field of type ``kind`` with the rule's hints."""
    typing = hints.model_copy(update={
        "type": kind, "default_currency": hints.default_currency or NO_CURRENCY})
    return typing.convert("cell", text)["cell"]


def reads_as(text: str, kind: CellType, hints: ValueRule) -> bool:
    """Whether a non-empty cell converts to its type."""
    try:
        return typed_cell(text, kind, hints) is not None
    except ValueError:
        return False
