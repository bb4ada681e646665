"""Identifier types a recipe defines: a name, a pattern and how to write the value.

    identifiers:
      policy_number: {pattern: 'POL[\\s_-]*(\\d{6})', format: 'POL-{1}'}
      vat_id: {pattern: '([A-Z]{2})\\s*(\\d[\\d ]{7,12})', format: '{1}{2}',
               remove_spaces: true}

A field rule then says ``type: vat_id``. The whole found text must match the pattern (a value
with more around it is not that identifier); ``format`` writes the canonical form from the
groups ({0} is the whole match, {1} the first group, {name} a named group). ``policy_number``
is predefined (POL- and six digits) and a recipe may redefine it. ``check: iban`` or
``check: luhn`` verifies the value's check digits.
"""

from __future__ import annotations

import re
import string

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bots.values import Read
from bots.values.checksums import Check, passes
from bots.values.regex import valid_regex


class IdentifierRule(BaseModel):
    """One identifier type: the pattern its values match and the form they are written in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str = Field(description=(
        "A regular expression the whole value must match, with groups for its parts, e.g. "
        "'POL[\\s_-]*(\\d{6})' or '([A-Z]{2})\\s*(\\d[\\d ]{7,12})'."))
    format: str = Field(default="{0}", description=(
        "The canonical form, from the pattern's groups: {0} the whole match, {1} the first "
        "group, {name} a named group, e.g. 'POL-{1}' or '{1}{2}'. Default: the match as is."))
    remove_spaces: bool = Field(default=False, description=(
        "Drop spaces inside the parts before formatting: 'DE 123 456 789' -> 'DE123456789'."))
    ignore_case: bool = Field(default=True, description=(
        "Match letters in any case ('pol 100234' is POL-100234); false to match exactly."))
    upper: bool = Field(default=True, description=(
        "Write the value in capitals ('de123456789' -> 'DE123456789'); false keeps the case."))
    check: Check | None = Field(default=None, description=(
        "Check digits the value carries: iban (mod 97) or luhn (mod 10), e.g. check: iban; a "
        "value that fails is invalid (a misread digit), never keyed."))
    example: str = Field(default="", description=(
        "A value as written on documents, e.g. 'POL 100234': checked against the pattern when "
        "the recipe loads and quoted in error messages."))

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return valid_regex(value, "pattern", r"POL[\s_-]*(\d{6})")

    @model_validator(mode="after")
    def _format_fits_pattern(self) -> IdentifierRule:
        compiled = self.compiled()
        fields = [name for _, name, _, _ in string.Formatter().parse(self.format) if name]
        for name in fields:
            known = name.isdigit() and int(name) <= compiled.groups or name in compiled.groupindex
            if not known:
                raise ValueError(f"format {self.format!r} uses {{{name}}} but the pattern has "
                                 f"{compiled.groups} group(s) and names "
                                 f"{sorted(compiled.groupindex) or 'none'}")
        if self.example:
            self.read(self.example)
        return self

    def compiled(self) -> re.Pattern[str]:
        """The pattern, compiled with the rule's case setting."""
        return re.compile(self.pattern, re.IGNORECASE if self.ignore_case else 0)

    def read(self, text: str, name: str = "identifier") -> Read:
        """The canonical form of text that matches the pattern; ValueError otherwise."""
        cleaned = " ".join(text.split())
        match = self.compiled().fullmatch(cleaned)
        if match is None:
            example = f", e.g. {self.example!r}" if self.example else ""
            raise ValueError(f"{text!r} is not a valid {name}: expected text matching "
                             f"{self.pattern!r}{example}")
        parts = [self._part(match.group(0))] + [self._part(group) for group in match.groups()]
        named = {key: self._part(value) for key, value in match.groupdict().items()}
        value = self.format.format(*parts, **named)
        value = value.upper() if self.upper else value
        if self.check and not passes(self.check, value):
            raise ValueError(f"{text!r} fails its {self.check} check digits (a misread or "
                             f"mistyped character?)")
        return Read(value)

    def _part(self, value: str | None) -> str:
        if value is None:
            return ""
        return value.replace(" ", "") if self.remove_spaces else value


PREDEFINED = {"policy_number": IdentifierRule(
    pattern=r"POL[\s_-]*(\d{6})", format="POL-{1}", example="POL-100234")}
