"""How a field's raw text becomes its output value(s): the typing half of a field rule.

A field rule (bots/pdf/rules.py) says where a value sits; the keys here say what it is:
text, a date, an amount (plus its currency field), a policy number, or a coded choice.
``ValueRule.convert`` turns found text into the output values or raises ``ValueError``
with a message that quotes the text, which the caller turns into FIELD_INVALID.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bots.normalize import normalize_amount, normalize_date, normalize_policy_number

FieldType = Literal["text", "date", "amount", "policy_number", "choice"]


class ValueRule(BaseModel):
    """What a field's text is and how to normalize it."""

    model_config = ConfigDict(extra="forbid")

    type: FieldType = Field("text", description=(
        "How to normalize: text, date (ISO), amount ('1250.00' plus a currency field), "
        "policy_number ('POL-100234') or choice (wording -> code via `choices`)."))
    dayfirst: bool | None = Field(None, description=(
        "Dates: read 03/04/2026 as day first (true) or month first (false). Default: dots are "
        "day first, slashes month first."))
    decimal: Literal[".", ","] | None = Field(None, description=(
        "Amounts: the decimal mark, when the document's figures are ambiguous."))
    default_currency: str = Field("", description=(
        "Amounts: the currency when the value carries none, e.g. EUR."))
    currency_field: str = Field("currency", description=(
        "Amounts: the output field that receives the currency code."))
    choices: dict[str, str] = Field(default_factory=dict, description=(
        "Choice: wording on the document -> code, e.g. {'Escape of water': WTR}; matched "
        "ignoring case and spacing. A value equal to a code is accepted too."))

    @model_validator(mode="after")
    def _check_type_keys(self) -> ValueRule:
        if (self.type == "choice") != bool(self.choices):
            raise ValueError("`choices` goes with `type: choice` (and type choice needs them)")
        if self.default_currency and self.type != "amount":
            raise ValueError("`default_currency` only applies to `type: amount`")
        return self

    def convert(self, name: str, text: str) -> dict[str, str]:
        """The output value(s) named ``name`` (and the currency field) for found text."""
        if self.type == "date":
            return {name: normalize_date(text, dayfirst=self.dayfirst)}
        if self.type == "policy_number":
            return {name: normalize_policy_number(text)}
        if self.type == "amount":
            return self._amount(name, text)
        if self.type == "choice":
            return {name: choose(self.choices, text)}
        return {name: " ".join(text.split())}

    def _amount(self, name: str, text: str) -> dict[str, str]:
        """An amount to cents plus its currency (the document's, else the default)."""
        amount, currency = normalize_amount(text, decimal=self.decimal)
        currency = currency or self.default_currency
        if not currency:
            raise ValueError("no currency on the document and the rule has no default_currency")
        return {name: f"{amount:.2f}", self.currency_field: currency}


def flat(text: str) -> str:
    """Text with case and spacing folded, for comparing wordings."""
    return " ".join(text.split()).casefold()


def choose(choices: dict[str, str], text: str) -> str:
    """The code for a wording (or the code itself), ignoring case and spacing."""
    wanted = flat(text)
    for wording, code in choices.items():
        if wanted in (flat(wording), flat(code)):
            return code
    raise ValueError(f"not one of the known wordings ({', '.join(map(repr, choices))})")
