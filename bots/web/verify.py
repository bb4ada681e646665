"""Check the values a system shows against the ones expected: after adding a line to a grid,
the price it chose must be the price on the purchase order (within a tolerance).

Amounts compare as Decimal, so ``12.4``, ``12.40`` and ``1,234.50 EUR`` read as numbers;
other values compare as text, ignoring case and surrounding spaces. A tolerance is an absolute
amount (``"0.05"``) or a share of the expected amount (``"2%"``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import Field, field_validator

from bots.kernel import StepParams
from bots.kernel.errors import BusinessError
from bots.web.grid import cell
from bots.web.rejections import stable_code

AMOUNT = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
CURRENCY = re.compile(r"^[A-Za-z]{3}\s+|\s+[A-Za-z]{3}$|[€$£¥]")
TOLERANCE = re.compile(r"\d+(?:\.\d+)?%?")


class ColumnCheck(StepParams):
    """What one column of a row must show."""

    equals: Any = Field(description="The expected value, e.g. '${each.unit_price}'.")
    tolerance: str | None = Field(
        None, description="For amounts: an absolute difference allowed ('0.05') or a share of "
                          "the expected amount ('2%'). Without it amounts must be equal.")
    code: str = Field(description="The exception code when the value differs, e.g. "
                                  "PRICE_MISMATCH.")

    @field_validator("tolerance", mode="before")
    @classmethod
    def _tolerance(cls, value: Any) -> str | None:
        if value is None:
            return None
        text = str(value).strip()
        if not TOLERANCE.fullmatch(text):
            raise ValueError(f"tolerance must be an amount like '0.05' or a percentage like "
                             f"'2%', got {value!r}")
        return text

    @field_validator("code")
    @classmethod
    def _stable_code(cls, value: str) -> str:
        return stable_code(value)


class RowCheck(StepParams):
    """Which row of the grid to read after a click, and what its columns must show."""

    row: Literal["last"] = Field(
        "last", description="'last': the row the click added (the grid must gain a row).")
    columns: dict[str, ColumnCheck] = Field(
        min_length=1, description="Column header -> {equals, tolerance, code}; the grid is the "
                                  "table with class 'grid' or whose headers include these.")


def parse_amount(value: Any) -> Decimal | None:
    """A number shown or given as text ('1,234.50 EUR' -> 1234.50); None if it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    text = CURRENCY.sub("", str(value).strip()).strip()
    if not AMOUNT.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def allowed_difference(tolerance: str | None, expected: Decimal) -> Decimal:
    """How far an amount may be from the expected one."""
    if not tolerance:
        return Decimal(0)
    if tolerance.endswith("%"):
        return abs(expected) * Decimal(tolerance[:-1]) / 100
    return Decimal(tolerance)


def matches(shown: str, check: ColumnCheck) -> bool:
    """Whether the shown value satisfies the check."""
    expected, actual = parse_amount(check.equals), parse_amount(shown)
    if expected is not None and actual is not None:
        return abs(actual - expected) <= allowed_difference(check.tolerance, expected)
    if check.tolerance:  # a tolerance means both sides must be amounts
        return False
    return _text(shown) == _text(check.equals)


def _text(value: Any) -> str:
    return " ".join(str("" if value is None else value).split()).casefold()


def check_record(record: dict[str, str], checks: dict[str, ColumnCheck], where: str) -> None:
    """Raise the check's BusinessError for the first column that does not match."""
    for column, check in checks.items():
        shown = cell(record, column)
        if not matches(shown, check):
            raise mismatch(where, column, shown, check)


def mismatch(where: str, column: str, shown: str, check: ColumnCheck) -> BusinessError:
    """The error naming the row, the column, the system's value and the expected one."""
    within = f" (tolerance {check.tolerance})" if check.tolerance else ""
    return BusinessError(f"{where}: '{column}' shows {shown!r} but {str(check.equals)!r} was "
                         f"expected{within}", code=check.code, column=column, shown=shown,
                         expected=str(check.equals))
