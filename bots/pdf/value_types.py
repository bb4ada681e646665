"""How a field's raw text becomes its output value(s): the typing half of a field rule.

A field rule (bots/pdf/rules.py) says where a value sits; the keys here say what it is:
text, a date, an amount (plus its currency field), a currency, a checkbox, a coded choice,
or an identifier (``policy_number`` or one the step declares under ``identifiers:``).
``clean:`` runs first. ``ValueRule.convert_with_doubts`` returns the output values and the
doubts a reviewer should see (an ambiguous date, a bare ``$``, a fuzzy choice);
``convert`` returns the values only. Both raise ``ValueError`` with a message that quotes
the text and says what to write, which the caller turns into FIELD_INVALID. The readers
themselves live in bots/values/.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from bots.values.amounts import read_amount
from bots.values.checkbox import read_checkbox
from bots.values.choices import Match, choose
from bots.values.choices import flat as flat
from bots.values.cleaning import CleanRule
from bots.values.currencies import check_code, read_currency
from bots.values.dates import compile_format, read_date
from bots.values.identifiers import PREDEFINED, IdentifierRule
from bots.values.months import DEFAULT_LANGUAGES, check_language

BUILT_IN = ("text", "date", "amount", "currency", "choice", "checkbox", "policy_number")
_TYPE_NAME = re.compile(r"[a-z][a-z0-9_]*")
# the identifier names a step declares, while its parameters validate (None: not known here)
_DECLARED: ContextVar[frozenset[str] | None] = ContextVar("declared_identifiers", default=None)


@contextmanager
def declared_identifiers(names: Iterable[str] | None) -> Iterator[None]:
    """Check rule types against these identifier names while a step's parameters validate,
    so a misspelt type is reported at its own line of the recipe."""
    token = _DECLARED.set(None if names is None else frozenset(names))
    try:
        yield
    finally:
        _DECLARED.reset(token)


def undeclared(name: str, declared: Iterable[str]) -> str:
    """What to say about a type that is neither built in nor declared."""
    near = difflib.get_close_matches(name, [*BUILT_IN, *declared], n=1)
    hint = f"did you mean {near[0]!r}? " if near else ""
    return (f"type {name!r} is neither a built-in type ({', '.join(BUILT_IN)}) nor declared "
            f"under the step's `identifiers`; {hint}declare it, e.g. identifiers: "
            f"{{{name}: {{pattern: '([A-Z]{{2}}\\d{{9}})'}}}}")


@dataclass(frozen=True)
class Conversion:
    """A field's output values, the doubts met reading them, and the outputs that came
    from the rule's defaults rather than the document (a currency from default_currency)."""

    values: dict[str, str]
    doubts: tuple[str, ...] = ()
    defaults: frozenset[str] = field(default_factory=frozenset)


class ValueRule(BaseModel):
    """What a field's text is and how to normalize it."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field("text", description=(
        "What the value is: text; date (ISO, e.g. 2026-03-14); amount ('1250.00' plus a "
        "currency field); currency ('EUR' from 'EUR', '€' or 'Euro'); checkbox (true/false "
        "from 'X', '☒', 'Yes', 'Ja' / '', '☐', 'No', 'Off'); choice (wording -> code via "
        "`choices`); policy_number ('POL-100234', redefinable under the step's `identifiers`) "
        "or the name of an identifier the step declares, e.g. type: vat_id."))
    clean: CleanRule | None = Field(None, description=(
        "Take text off before typing: `strip` end characters, `remove` regular expressions, "
        "e.g. clean: {strip: '.:;', remove: ['^n[°º]\\s*', '^No\\.\\s*']}."))
    format: list[str] = Field(default_factory=list, description=(
        "Dates: the pattern(s) the document writes, tried in order: D or DD day, M or MM month "
        "number, MMM or MMMM month name or abbreviation, YY or YYYY year, dddd a weekday "
        "name (checked against the date), anything else literal, e.g. format: 'DD.MM.YYYY' "
        "or ['D MMMM YYYY', 'D de MMMM de YYYY', 'DD-MMM-YY', 'MMMM D, YYYY']. Without one, "
        "dates are read by convention and a numeric date whose order cannot be told is a "
        "doubt."))
    languages: list[str] = Field(default_factory=list, description=(
        "Dates and currency names: the languages of month names (CLDR codes), e.g. "
        "languages: [de, fr]. Default: en, de, fr, nl, es, it, pt."))
    dayfirst: bool | None = Field(None, description=(
        "Dates: read 03/04/2026 as day first (true) or month first (false), e.g. dayfirst: "
        "true. Default: the one order that works; else dots day first, and slashes month "
        "first and dashes day first as a doubt."))
    decimal: Literal[".", ","] | None = Field(None, description=(
        "Amounts: the decimal mark, e.g. decimal: ','. Default: read from the figures, and "
        "a lone separator before three digits ('1.250') is a doubt."))
    thousands: Literal[".", ",", " ", "'", "none"] | None = Field(None, description=(
        "Amounts: the thousands separator, e.g. thousands: ' ' for '1 278,61'. A plain space "
        "between figures is two numbers unless declared; no-break and thin spaces group "
        "only exact three-digit groups; 'none' allows no grouping."))
    default_currency: str = Field("", description=(
        "Amounts and currencies: the currency when the value carries none, and the reading "
        "of an ambiguous symbol it is one of ($, kr, ¥, Rs), e.g. default_currency: CAD "
        "reads '$' as CAD."))
    currency_field: str = Field("currency", description=(
        "Amounts: the output field that receives the currency code, e.g. currency_field: "
        "total_currency."))
    choices: dict[str, str] = Field(default_factory=dict, description=(
        "Choice: wording on the document -> code, e.g. {'Escape of water': WTR}; matched "
        "ignoring case and spacing. A value equal to a code is accepted too."))
    match: Match = Field("exact", description=(
        "Choice: exact (whole wording), contains (a wording inside the text) or fuzzy "
        "(closest wording by rapidfuzz score, reported as a doubt), e.g. match: fuzzy."))
    min_score: float | None = Field(None, ge=0, le=100, description=(
        "Choice with match fuzzy: the lowest score (0-100) accepted, e.g. min_score: 90. "
        "Default 85."))

    _identifier: IdentifierRule | None = PrivateAttr(None)

    @field_validator("format", "languages", mode="before")
    @classmethod
    def _one_is_a_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("format")
    @classmethod
    def _formats_compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            compile_format(pattern)
        return value

    @field_validator("languages")
    @classmethod
    def _languages_known(cls, value: list[str]) -> list[str]:
        return [check_language(code) for code in value]

    @field_validator("default_currency")
    @classmethod
    def _currency_known(cls, value: str) -> str:
        return check_code(value) if value else value

    @field_validator("type")
    @classmethod
    def _type_named(cls, value: str) -> str:
        if value not in BUILT_IN and not _TYPE_NAME.fullmatch(value):
            raise ValueError(f"type {value!r}: write one of {', '.join(BUILT_IN)} or the name "
                             f"of an identifier the step declares (lower case, e.g. vat_id)")
        declared = _DECLARED.get()
        if declared is not None and value not in BUILT_IN and value not in declared:
            raise ValueError(undeclared(value, declared))
        return value

    @model_validator(mode="after")
    def _check_type_keys(self) -> ValueRule:
        if (self.type == "choice") != bool(self.choices):
            raise ValueError("`choices` goes with `type: choice` (and type choice needs them)")
        if self.default_currency and self.type not in ("amount", "currency", "text"):
            raise ValueError("`default_currency` only applies to `type: amount` or `currency`")
        if self.type != "choice" and (self.match != "exact" or self.min_score is not None):
            raise ValueError("`match` and `min_score` only apply to `type: choice`")
        return self

    def bind(self, identifiers: dict[str, IdentifierRule]) -> None:
        """Take this rule's identifier type from the step's declarations (checked there)."""
        self._identifier = identifiers.get(self.type)

    def convert(self, name: str, text: str) -> dict[str, str]:
        """The output value(s) named ``name`` (and the currency field) for found text."""
        return self.convert_with_doubts(name, text).values

    def convert_with_doubts(self, name: str, text: str) -> Conversion:
        """The output values for found text, with the doubts met reading it."""
        cleaned = self.clean.apply(text) if self.clean else text
        if self.type == "amount":
            return self._amount(name, cleaned)
        value, doubts = self._read(cleaned)
        return Conversion({name: value}, doubts)

    def _read(self, text: str) -> tuple[str, tuple[str, ...]]:
        """One value of the rule's type, and its doubts."""
        languages = tuple(self.languages) or DEFAULT_LANGUAGES
        if self.type == "text":
            return " ".join(text.split()), ()
        if self.type == "date":
            return read_date(text, tuple(self.format), dayfirst=self.dayfirst,
                             languages=languages)
        if self.type == "currency":
            return read_currency(text, self.default_currency, languages)
        if self.type == "choice":
            return choose(self.choices, text, self.match, self.min_score)
        if self.type == "checkbox":
            return read_checkbox(text)
        return self._identifier_rule().read(text, self.type)

    def _identifier_rule(self) -> IdentifierRule:
        found = self._identifier or PREDEFINED.get(self.type)
        if found is None:
            raise ValueError(f"type {self.type!r} is not declared under the step's "
                             f"`identifiers`")
        return found

    def _amount(self, name: str, text: str) -> Conversion:
        """An amount to cents plus its currency (the document's, else the default)."""
        amount = read_amount(text, decimal=self.decimal, thousands=self.thousands,
                             default_currency=self.default_currency)
        if not amount.currency:
            raise ValueError("no currency on the document and the rule has no "
                             "default_currency; add e.g. default_currency: EUR")
        defaults = frozenset() if amount.written else frozenset({self.currency_field})
        return Conversion({name: f"{amount.value:.2f}", self.currency_field: amount.currency},
                          amount.doubts, defaults)
