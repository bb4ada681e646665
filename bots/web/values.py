"""How a recipe's field values become the text typed into a form.

A field value is a scalar (typed as is; numbers without changes) or ``{value, format}`` with
one of a small, documented set of formats:

- ``date:<strftime pattern>``: value is an ISO date (``2024-03-15``), typed as e.g. ``%m/%d/%Y``
  -> ``03/15/2024``;
- ``amount``: value is a number or a numeric string (``1,250.5``), typed with two decimals and
  no thousands separator -> ``1250.50``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import Field, field_validator

from bots.kernel import StepParams
from bots.kernel.errors import BusinessError

FORMATS = ("amount", "date:<strftime pattern>")


class FormattedValue(StepParams):
    """A field value with its options: ``{value: ${claim.loss_date}, format: "date:%m/%d/%Y"}``.

    Besides a format, a field may name its control another way than by its label (the key of
    ``fields:``): ``selector:`` and ``frame:`` are the escape hatch for pages without usable
    labels; the key then only names the field in messages.
    """

    value: Any = Field(description="The value, usually a reference to an earlier step's output.")
    format: str | None = Field(default=None, description="One of: " + ", ".join(FORMATS) + ".")
    selector: str | None = Field(
        default=None, description="CSS, xpath=..., role=... or text=... selector of the "
                                  "control, instead of its label.")
    frame: str | None = Field(
        default=None, description="The iframe the control is in (name, title or CSS selector).")

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str | None) -> str | None:
        if value is not None and value != "amount" and not (
                value.startswith("date:") and "%" in value):
            raise ValueError(f"unknown format {value!r}; supported formats: "
                             + ", ".join(FORMATS))
        return value


FieldValue = FormattedValue | str | int | float | bool | None


def as_text(label: str, value: FieldValue) -> str:
    """The text to type for a field value (None types nothing)."""
    if isinstance(value, FormattedValue):
        return _formatted(label, value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone stored as a number in a sheet: 5551234567.0
    return str(value)


def _formatted(label: str, value: FormattedValue) -> str:
    if value.format is None:
        return as_text(label, value.value)
    if value.format == "amount":
        return format_amount(label, value.value)
    return format_date(label, value.value, value.format.removeprefix("date:"))


def format_amount(label: str, value: Any) -> str:
    """Two decimals, no thousands separator: ``1,250.5`` -> ``1250.50``."""
    text = str(value).strip().replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise BusinessError(f"'{label}': {value!r} is not an amount (expected e.g. 1250.00)",
                            code="FIELD_INVALID", field=label, value=str(value))
    return f"{amount.quantize(Decimal('0.01')):f}"


def format_date(label: str, value: Any, pattern: str) -> str:
    """An ISO date (or datetime) written with a strftime pattern: ``%m/%d/%Y``."""
    if isinstance(value, date):
        return value.strftime(pattern)
    try:
        parsed = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise BusinessError(f"'{label}': {value!r} is not an ISO date (expected YYYY-MM-DD)",
                            code="FIELD_INVALID", field=label, value=str(value)) from None
    return parsed.strftime(pattern)
