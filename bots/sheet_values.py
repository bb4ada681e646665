"""Spreadsheet cell values: header text matching, cell names and typed conversions.

Used by bots/sheets.py (which re-exports every name here) and the tables built on it. A cell
is converted the way a person reads it: dates from date cells, Excel serial numbers or
written dates; amounts from numbers or text such as "EUR 25,000.00".
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bots.kernel.errors import ApplicationError
from bots.normalize import normalize_amount, normalize_date


def sheet_invalid(message: str, **details: Any) -> ApplicationError:
    """The error for a spreadsheet that lacks what the recipe expects."""
    return ApplicationError(message, code="SHEET_INVALID", **details)


def file_version(path: str) -> tuple[str, int, int]:
    """A spreadsheet's resolved path, modification time and size: a cache key per version."""
    file = Path(path)
    if not file.exists():
        raise sheet_invalid(f"spreadsheet {path} does not exist; check the path in the recipe",
                            file=path)
    if not file.is_file():
        raise sheet_invalid(f"{path} is a folder, not a spreadsheet file", file=path)
    status = file.stat()
    return str(file.resolve()), status.st_mtime_ns, status.st_size


def cell_name(row: int, column: int) -> str:
    """The A1-style name of a cell ("E7")."""
    from openpyxl.utils import get_column_letter  # here: importing openpyxl takes 0.3 s

    return f"{get_column_letter(column)}{row}"


def is_formula(value: Any) -> bool:
    """True for a formula as openpyxl loads it without data_only (text or formula object)."""
    if isinstance(value, str):
        return value.startswith("=")
    return type(value).__name__ in {"ArrayFormula", "DataTableFormula"}


# --- matching text -------------------------------------------------------------------------

def single_spaced(value: Any) -> str:
    """Text with surrounding spaces removed and inner runs of spaces collapsed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def header_key(value: Any) -> str:
    """How headers are compared: case-insensitive, single-spaced."""
    return single_spaced(value).casefold() if value is not None else ""


def did_you_mean(wanted: str, choices: list[str]) -> str:
    """' (did you mean X?)' for the closest choice (ignoring case), or an empty string."""
    by_key = {header_key(choice): choice for choice in choices}
    close = difflib.get_close_matches(header_key(wanted), list(by_key), n=1, cutoff=0.6)
    return f" (did you mean '{by_key[close[0]]}'?)" if close else ""


def quoted(names: Any) -> str:
    """Names for a message: "'A', 'B', 'C'"."""
    return ", ".join(f"'{name}'" for name in names)


# --- typed cell values ---------------------------------------------------------------------

def as_iso_date(value: Any, epoch: datetime) -> str:
    """A date cell (datetime, Excel serial number or written date) as "YYYY-MM-DD"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = _from_serial(value, epoch)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return normalize_date(value if isinstance(value, date) else single_spaced(value))


def _from_serial(serial: float, epoch: datetime) -> datetime:
    from openpyxl.utils.datetime import from_excel

    try:
        converted = from_excel(serial, epoch=epoch)
    except (OverflowError, ValueError):
        converted = None
    if not isinstance(converted, datetime):  # below 1 it is a time of day; huge: no date
        raise ValueError(f"{serial} is not a date serial number")
    return converted


def as_amount(value: Any) -> str:
    """A money cell (number, or text such as "EUR 25,000.00") as "25000.00"."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount")
    text = value if isinstance(value, int | float | Decimal) else single_spaced(value)
    return str(normalize_amount(text)[0])


def as_int(value: Any) -> int:
    """A whole-number cell (number or text) as an int."""
    number = Decimal(as_amount(value))
    if number != number.to_integral_value():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def as_text(value: Any) -> str:
    """Any cell as single-spaced text (dates as YYYY-MM-DD, 25000.0 as 25000)."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return single_spaced(value)


def as_plain(value: Any) -> Any:
    """A cell value as JSON-able data: text single-spaced, dates ISO, numbers as numbers (a
    whole number stored as a float, such as a phone 5551234567.0, as an int: typed, it reads
    '5551234567' as a person sees it, never '5551234567.0')."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return as_text(value)


def typed(kind: str, value: Any, epoch: datetime) -> Any:
    """A non-empty cell converted to one of the kinds date, amount, int, text."""
    converters: dict[str, Callable[[Any], Any]] = {
        "date": lambda v: as_iso_date(v, epoch), "amount": as_amount, "int": as_int,
        "text": as_text}
    return converters[kind](value)
