"""Month and weekday names in many languages, from the Unicode CLDR data that babel ships.

Typing month names by hand misses forms ("févr.", "mrt", "Sept."); CLDR has the wide and
abbreviated names per language, kept current by the Unicode consortium. Babel is imported
only when a worded date is read, so a CLI that never reads one does not pay for it.
"""

from __future__ import annotations

import unicodedata
from functools import cache

DEFAULT_LANGUAGES = ("en", "de", "fr", "nl", "es", "it", "pt")


def fold(word: str) -> str:
    """A word without case, accents or a trailing dot: 'Févr.' -> 'fevr'."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).rstrip(".")


def check_language(code: str) -> str:
    """The language code if CLDR knows it, else ValueError naming examples."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(f"unknown language {code!r}: write a code such as en, de, fr, nl, es, "
                         f"it or pt") from None
    return code


@cache
def month_names(languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> dict[str, int]:
    """Folded month name, abbreviation or unambiguous prefix (3+ letters) -> month number."""
    names: dict[str, set[int]] = {}
    for language in languages:
        for name, number in _cldr_months(language):
            names.setdefault(fold(name), set()).add(number)
    for name, numbers in list(names.items()):
        for end in range(3, len(name)):
            names.setdefault(name[:end], set()).update(numbers)
    # a form two months share ("mar" is not one: March in every language that has it) is dropped
    return {name: next(iter(numbers)) for name, numbers in names.items() if len(numbers) == 1}


def _cldr_months(language: str) -> list[tuple[str, int]]:
    """Every wide and abbreviated month name CLDR has for a language."""
    from babel import Locale

    locale = Locale.parse(language)
    found = []
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            found += [(name, number) for number, name in locale.months[context][width].items()]
    return found


def month_number(word: str, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> int | None:
    """The month a word names ('maart' -> 3, 'Juil.' -> 7), or None."""
    return month_names(languages).get(fold(word))


@cache
def weekday_names(languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> dict[str, int]:
    """Folded weekday name or abbreviation -> weekday (Monday 0), where languages agree."""
    from babel import Locale

    names: dict[str, set[int]] = {}
    for language in languages:
        days = Locale.parse(language).days
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in days[context][width].items():
                    names.setdefault(fold(name), set()).add(number)
    return {name: next(iter(numbers)) for name, numbers in names.items() if len(numbers) == 1}


def weekday_number(word: str, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> int | None:
    """The weekday a word names ('Mardi' -> 1, 'Thu.' -> 3), or None."""
    return weekday_names(languages).get(fold(word))
