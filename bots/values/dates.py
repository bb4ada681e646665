"""Dates as people write them, read by a declared pattern or, failing that, by convention.

A ``format`` is written the way ops people read dates, not in strftime codes:

    D, DD day, with an optional ordinal or dot: 3, 03, 3., 1er, 14th
    M, MM month number
          (DD and MM say the order; a document that drops a leading zero still fits)
    MMM   a month name or abbreviation in the rule's languages: Jan, févr., mrt, März
    MMMM  the same (a full name or an abbreviation: documents mix them)
    YY    year, 2 digits: 00-69 are the 2000s, 70-99 the 1900s
    YYYY  year, 4 digits
    dddd  a weekday name or abbreviation ('Monday', 'lun.'): checked against the date
    anything else is literal: 'D de MMMM de YYYY', 'DD.MM.YYYY', 'MMMM D, YYYY';
    spaces may be absent or repeated, a comma may be absent, case does not matter.

A time after the date ('14/03/2026 10:30', '2026-03-14T10:30:00Z', '3 mars 2025 à 10h30') is
dropped. Without a format a date is read by convention (ISO, day-month-year words, month-day-year
words, numbers with dots as day first and slashes as month first) and a numeric date whose
order cannot be told (03/04/2026, 03-04-2026) is reported as a doubt, never silently guessed;
dots are day first wherever they are written (14.03.2026), so they are no doubt.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from bots.values import Read
from bots.values.months import DEFAULT_LANGUAGES, month_number, weekday_number

_ORDINAL = r"(?:st|nd|rd|th|er|re|e|º|ª|°|\.)?"
_ORDINAL_WORDS = {"st", "nd", "rd", "th", "er", "re", "e", "º", "ª"}
_TOKENS = {"dddd": r"(?P<weekday>[^\W\d_]+\.?)",
           "YYYY": r"(?P<year>\d{4})", "YY": r"(?P<year2>\d{2})",
           "MMMM": r"(?P<name>[^\W\d_]+\.?)", "MMM": r"(?P<name>[^\W\d_]+\.?)",
           "MM": r"(?P<month>\d{1,2})", "M": r"(?P<month>\d{1,2})",
           "DD": rf"(?P<day>\d{{1,2}}){_ORDINAL}", "D": rf"(?P<day>\d{{1,2}}){_ORDINAL}"}
_TOKEN = re.compile("|".join(_TOKENS))
_FILLERS = {"de", "del", "of", "the", "le", "der", "den", "el", "il", "op", "am", "on"}
_NUMERIC = re.compile(r"(\d{1,4})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{1,4})")
_TIME = re.compile(r"(?:\s*,\s*|\s+|T)(?:(?:at|um|à|a las|alle|om)\s+)?\d{1,2}[:h]\d{2}"
                   r"(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?\s?m\.?|uhr)?\s*"
                   r"(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT|CET|CEST)?$", re.IGNORECASE)
_WORDS = re.compile(r"\d+|[^\W\d_]+\.?")
AUTO_FORMS = ("YYYY-MM-DD, DD.MM.YYYY, MM/DD/YYYY, 'D MMMM YYYY' or 'MMMM D, YYYY' "
              "(month names in English, German, French, Dutch, Spanish, Italian, Portuguese)")


@cache
def compile_format(pattern: str) -> re.Pattern[str]:
    """The regular expression for a format such as 'DD.MM.YYYY' (ValueError if unusable)."""
    parts, position, seen = [], 0, set()
    for token in _TOKEN.finditer(pattern):
        parts.append(_literal(pattern[position:token.start()]))
        group = re.search(r"\?P<(\w+)>", _TOKENS[token.group()])
        assert group is not None
        if group.group(1) in seen:
            raise ValueError(f"date format {pattern!r} names the same part twice")
        seen.add(group.group(1))
        parts.append(_TOKENS[token.group()])
        position = token.end()
    parts.append(_literal(pattern[position:]))
    if not {"day"} <= seen or not seen & {"month", "name"} or not seen & {"year", "year2"}:
        raise ValueError(f"date format {pattern!r} needs a day (D), a month (M or MMMM) and a "
                         f"year (YYYY or YY), e.g. 'DD.MM.YYYY' or 'D MMMM YYYY'")
    return re.compile(r"\s*" + "".join(parts) + r"\s*", re.IGNORECASE)


def _literal(text: str) -> str:
    """A format's literal part: spaces optional, commas optional, the rest as written."""
    pieces = []
    for char in text:
        if char.isspace():
            pieces.append(r"\s*")
        elif char == ",":
            pieces.append(r"\s*,?\s*")
        else:
            pieces.append(r"\s*" + re.escape(char) + r"\s*")
    return "".join(pieces)


def read_date(text: str, formats: tuple[str, ...] = (), *, dayfirst: bool | None = None,
              languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> Read:
    """An ISO date (YYYY-MM-DD) from text, by the formats given or else by convention."""
    cleaned = _TIME.sub("", " ".join(text.split()))  # a date field keeps the day, not the time
    if not cleaned:
        raise ValueError("empty date")
    read = (_by_formats(cleaned, formats, languages) if formats
            else _by_convention(cleaned, dayfirst, languages))
    return Read(read.value, (*read.doubts, *_far_off(cleaned, read.value)))


def _far_off(text: str, iso: str) -> tuple[str, ...]:
    """A year more than 120 years back or 30 ahead is more likely misread than meant."""
    year, now = int(iso[:4]), date.today().year
    if now - 120 <= year <= now + 30:
        return ()
    return (f"date {text}: the year {year} is far from today (a misread or mistyped year?)",)


def _by_formats(text: str, formats: tuple[str, ...], languages: tuple[str, ...]) -> Read:
    """The first format that reads the text; ValueError naming them all when none does."""
    problems = []
    for pattern in formats:
        match = compile_format(pattern).fullmatch(text)
        if match is None:
            continue
        try:
            iso = _iso(text, *_parts(match.groupdict(), languages))
            return Read(iso, _weekday_doubts(text, iso, [match.group("weekday")]
                                             if "weekday" in match.re.groupindex else [],
                                             languages))
        except ValueError as error:
            problems.append(str(error))
    why = f" ({'; '.join(problems)})" if problems else ""
    raise ValueError(f"{text!r} does not fit the format(s) {', '.join(map(repr, formats))}"
                     f"{why}; add a `format` that fits, e.g. 'D MMMM YYYY'")


def _parts(groups: dict[str, str | None], languages: tuple[str, ...]) -> tuple[int, int, int]:
    """(year, month, day) from a format's named groups."""
    year = groups.get("year") or ""
    month = groups.get("month") or ""
    return (int(year) if year else full_year(int(groups.get("year2") or 0)),
            int(month) if month else _month(groups.get("name") or "", languages),
            int(groups.get("day") or 0))


def _month(word: str, languages: tuple[str, ...]) -> int:
    number = month_number(word, languages)
    if number is None:
        raise ValueError(f"{word!r} is not a month name in {', '.join(languages)}; add its "
                         f"language to `languages`")
    return number


def full_year(two_digits: int) -> int:
    """A two-digit year in the 2000s up to 69, else the 1900s (the POSIX strptime pivot)."""
    return 2000 + two_digits if two_digits < 70 else 1900 + two_digits


def _iso(text: str, year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError as error:
        raise ValueError(f"{text!r} is not a valid date ({error})") from None


def _by_convention(text: str, dayfirst: bool | None, languages: tuple[str, ...]) -> Read:
    """ISO, numeric or worded dates with no declared format."""
    numeric = _NUMERIC.fullmatch(text)
    if numeric:
        return _numeric(text, numeric, dayfirst)
    return _worded(text, languages)


def _numeric(text: str, match: re.Match[str], dayfirst: bool | None) -> Read:
    """14.03.2026, 03/14/2026 or 2026-03-14; an order that cannot be told is a doubt."""
    first, separator, middle, last = match.groups()
    if len(first) == 4:
        return Read(_iso(text, int(first), int(middle), int(last)))
    if len(last) != 4:
        raise ValueError(f"{text!r}: the year has two digits; declare the order with a "
                         f"`format`, e.g. 'DD.MM.YY' or 'MM/DD/YY'")
    day_first = _order(int(first), int(middle), separator, dayfirst)
    day, month = (int(first), int(middle)) if day_first else (int(middle), int(first))
    if month > 12:
        order = "day first" if day_first else "month first"
        raise ValueError(f"{text!r} has month {month} when read {order}; set `dayfirst: "
                         f"{str(not day_first).lower()}` or a `format` such as "
                         f"{'MM/DD/YYYY' if day_first else 'DD/MM/YYYY'}")
    doubts: tuple[str, ...] = ()
    if dayfirst is None and separator != "." and max(day, month) <= 12 and day != month:
        doubts = (f"ambiguous date {text} read {'day' if day_first else 'month'} first",)
    return Read(_iso(text, int(last), month, day), doubts)


def _order(first: int, middle: int, separator: str, dayfirst: bool | None) -> bool:
    """Day first? The hint, else the one order that works, else the separator's convention."""
    if dayfirst is not None:
        return dayfirst
    if first > 12 >= middle or middle > 12 >= first:
        return first > 12
    return separator != "/"


def _worded(text: str, languages: tuple[str, ...]) -> Read:
    """'3. März 2025', '1er juillet 2025', 'March 14, 2026', '10-Jan-25', '14 de marzo de 2025'."""
    numbers, months, weekdays, doubts = [], [], [], []
    for word in _WORDS.findall(text):
        if word.isdigit():
            numbers.append(word)
        elif (number := month_number(word, languages)) is not None:
            months.append(number)
        elif weekday_number(word, languages) is not None:
            weekdays.append(word)
        elif not _ignorable(word, bool(numbers)):
            raise ValueError(f"{text!r} is not a date: {word!r} is not a month name in "
                             f"{', '.join(languages)}; expected {AUTO_FORMS}")
    if len(months) != 1 or len(numbers) != 2:
        raise ValueError(f"{text!r} is not a date: expected {AUTO_FORMS}, or declare a `format`")
    day, year = _day_and_year(numbers)
    if len(numbers[1]) == 2 and len(numbers[0]) == 2 and year != int(numbers[1]):
        doubts.append(f"date {text}: two-digit year read as {year}")
    iso = _iso(text, year, months[0], day)
    return Read(iso, (*doubts, *_weekday_doubts(text, iso, weekdays, languages)))


def _weekday_doubts(text: str, iso: str, weekdays: list[str],
                    languages: tuple[str, ...]) -> tuple[str, ...]:
    """A weekday written beside the date that is not the date's own: one of them is wrong."""
    actual = date.fromisoformat(iso).weekday()
    wrong = [word for word in weekdays if weekday_number(word, languages) not in (None, actual)]
    if not wrong and all(weekday_number(word, languages) is not None for word in weekdays):
        return ()
    named = wrong[0] if wrong else weekdays[0]
    return (f"date {text}: {named!r} is not the weekday of {iso} "
            f"({date.fromisoformat(iso).strftime('%A')})",)


def _ignorable(word: str, after_number: bool) -> bool:
    """Filler words ('de', 'of') and ordinal endings ('1er', '14th') between date parts."""
    folded = word.casefold().rstrip(".")
    return folded in _FILLERS or (after_number and folded in _ORDINAL_WORDS)


def _day_and_year(numbers: list[str]) -> tuple[int, int]:
    """The day and the year among two numbers: the four-digit one, else the last, is the year."""
    first, second = numbers
    if len(first) == 4:
        return int(second), int(first)
    year = int(second) if len(second) == 4 else full_year(int(second))
    return int(first), year
