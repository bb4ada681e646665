"""What a screen's red error text means: the recipe maps known messages to stable codes.

A legacy screen says "no" in red ("Product XYZ does not exist."). By default that is
``VALIDATION_REJECTED``; a recipe that knows the screen's messages maps them to sharper codes
(``{text: "does not exist", code: PRODUCT_NOT_FOUND}``) so the exception queue can tell the
analyst what is wrong without reading the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import Field, field_validator

from bots.kernel import StepParams
from bots.kernel.errors import BusinessError

CODE_PATTERN = re.compile(r"[A-Z][A-Z0-9_]*")
DEFAULT_CODE = "VALIDATION_REJECTED"


def stable_code(value: str) -> str:
    """A code as recipes must write it (UPPER_SNAKE_CASE); a clear error otherwise."""
    if not CODE_PATTERN.fullmatch(value):
        raise ValueError(f"code must be UPPER_SNAKE_CASE like POLICY_NOT_FOUND, got {value!r}")
    return value


class ErrorCode(StepParams):
    """One red message the screen may show, and the exception code it stands for."""

    text: str = Field(min_length=1, description="Part of the red text, matched ignoring case.")
    code: str = Field(description="The exception code to raise, e.g. PRODUCT_NOT_FOUND.")

    @field_validator("code")
    @classmethod
    def _stable_code(cls, value: str) -> str:
        return stable_code(value)


def code_for(errors: Sequence[str], rules: Sequence[ErrorCode]) -> str:
    """The code of the first rule whose text appears in any red message; else the default."""
    lowered = [error.lower() for error in errors]
    for rule in rules:
        if any(rule.text.lower() in error for error in lowered):
            return rule.code
    return DEFAULT_CODE


def rejection(errors: Sequence[str], rules: Sequence[ErrorCode], url: str) -> BusinessError:
    """The BusinessError for red text on a page, with the recipe's code for it."""
    return BusinessError("The form was rejected: " + " | ".join(errors),
                         code=code_for(errors, rules), errors=list(errors), url=url)
