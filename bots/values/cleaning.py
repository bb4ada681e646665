"""`clean:` before typing: drop what is around a value (a trailing full stop, a "n°" prefix).

    clean: {strip: ".:;", remove: ['^n[°º]\\s*', '^No\\.\\s*']}

The ``strip`` characters and spaces are taken off both ends, then the ``remove`` patterns
(regular expressions, any case) are deleted in order, then the ends are stripped again (so
'1 250,00 € TTC.' loses both the full stop and a '\\s*TTC$'); inner spacing becomes single.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bots.values.regex import valid_regex


class CleanRule(BaseModel):
    """What to take off a found text before it is typed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    strip: str = Field("", description=(
        "Characters to take off both ends (spaces always are), e.g. '.:;' turns 'Smith.' "
        "into 'Smith'."))
    remove: list[str] = Field(default_factory=list, description=(
        "Regular expressions deleted wherever they match, in any case (after `strip`, which "
        "runs again after them), e.g. "
        "['^n[°º]\\s*', '^No\\.\\s*', '\\s*TTC$']."))

    @field_validator("remove", mode="before")
    @classmethod
    def _one_is_a_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("remove")
    @classmethod
    def _compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            valid_regex(pattern, "remove pattern", r"^No\.\s*")
        return value

    def apply(self, text: str) -> str:
        """The text with the ends stripped, the patterns removed and spacing single."""
        text = " ".join(text.split()).strip(self.strip + " ")
        for pattern in self.remove:
            text = re.sub(pattern, "", text, flags=re.IGNORECASE)
        return " ".join(text.split()).strip(self.strip + " ")
