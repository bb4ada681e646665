"""Dates as documents write them: declared formats, six-plus languages, and no silent guess."""

from __future__ import annotations

import pytest

from bots.values.dates import compile_format, read_date
from bots.values.months import check_language, month_number


@pytest.mark.parametrize(("text", "iso"), [
    ("3 Mai 2025", "2025-05-03"),            # German
    ("3. März 2025", "2025-03-03"),
    ("12 maart 2026", "2026-03-12"),         # Dutch
    ("1 mrt 2026", "2026-03-01"),
    ("14 Juillet 2025", "2025-07-14"),       # French, any case
    ("1er juillet 2025", "2025-07-01"),
    ("3 févr. 2026", "2026-02-03"),
    ("3 fevr 2026", "2026-02-03"),           # without the accent or the dot
    ("14 de marzo de 2025", "2025-03-14"),   # Spanish
    ("5 ENE 2024", "2024-01-05"),
    ("29 febbraio 2028", "2028-02-29"),      # Italian, a leap day
    ("10-Jan-2025", "2025-01-10"),
    ("March 14, 2026", "2026-03-14"),
    ("Sept. 1, 2026", "2026-09-01"),
    ("14th March 2026", "2026-03-14"),
    ("2026-03-14", "2026-03-14"),
    ("13/04/2026", "2026-04-13"),            # only day first works: no doubt
    ("Monday, 3 March 2025", "2025-03-03"),  # a weekday that fits is no doubt
    ("lundi 3 mars 2025", "2025-03-03"),
    ("lunes, 3 de marzo de 2025", "2025-03-03"),
    ("1º de marzo de 2025", "2025-03-01"),
])
def test_dates_without_a_format_read_in_many_languages(text: str, iso: str) -> None:
    assert read_date(text) == (iso, ())


@pytest.mark.parametrize(("text", "formats", "iso"), [
    ("14 de marzo de 2025", ["D de MMMM de YYYY"], "2025-03-14"),
    ("03/04/2026", ["DD/MM/YYYY"], "2026-04-03"),
    ("3/4/2026", ["DD/MM/YYYY"], "2026-04-03"),   # a dropped leading zero still fits
    ("03/04/2026", ["MM/DD/YYYY"], "2026-03-04"),
    ("10-Jan-25", ["DD-MMM-YY"], "2025-01-10"),
    ("10-jan-99", ["DD-MMM-YY"], "1999-01-10"),
    ("March 14 2026", ["MMMM D, YYYY"], "2026-03-14"),
    ("3. März 2025", ["D MMMM YYYY"], "2025-03-03"),
    ("14.03.2026", ["MM/DD/YYYY", "DD.MM.YYYY"], "2026-03-14"),
    ("2026 03 14", ["YYYY MM DD"], "2026-03-14"),
])
def test_declared_formats_read_exactly_and_without_doubt(
        text: str, formats: list[str], iso: str) -> None:
    assert read_date(text, tuple(formats)) == (iso, ())


def test_an_ambiguous_numeric_date_reads_by_convention_and_says_so() -> None:
    value, doubts = read_date("03/04/2026")
    assert value == "2026-03-04" and doubts == ("ambiguous date 03/04/2026 read month first",)
    value, doubts = read_date("03-04-2026")
    assert value == "2026-04-03" and doubts == ("ambiguous date 03-04-2026 read day first",)
    assert read_date("03.04.2026") == ("2026-04-03", ())  # dots are day first everywhere
    assert read_date("03/04/2026", dayfirst=True) == ("2026-04-03", ())
    assert read_date("04/04/2026") == ("2026-04-04", ())  # both readings agree


@pytest.mark.parametrize("text", ["14/03/2026 10:30", "2026-03-14T10:30:00Z",
                                  "14 mars 2026 à 10h30", "March 14, 2026 at 3:45 PM",
                                  "14.03.2026, 10:30 Uhr"])
def test_a_time_after_the_date_is_dropped(text: str) -> None:
    assert read_date(text) == ("2026-03-14", ())


def test_a_two_digit_year_without_a_format_is_a_doubt() -> None:
    value, doubts = read_date("10-Jan-25")
    assert value == "2025-01-10" and "two-digit year" in doubts[0]


def test_languages_restrict_the_month_names() -> None:
    assert month_number("maart", ("nl",)) == 3
    with pytest.raises(ValueError, match="not a month name in de"):
        read_date("12 maart 2026", languages=("de",))
    assert read_date("12 März 2026", languages=("de",)) == ("2026-03-12", ())


@pytest.mark.parametrize(("text", "formats", "fragment"), [
    ("", (), "empty date"),
    ("yesterday", (), "not a date"),
    ("14 Foo 2026", (), "'Foo' is not a month name"),
    ("31.02.2026", (), "not a valid date"),
    ("14.03.26", (), "two digits"),
    ("13.13.2026", (), "month 13"),
    ("14.03.2026", ("MM/DD/YYYY",), "does not fit the format"),
    ("31 Blub 2026", ("D MMMM YYYY",), "'Blub' is not a month name"),
    ("March 2026", (), "not a date"),
])
def test_what_is_not_a_date_is_refused_saying_what_to_write(
        text: str, formats: tuple[str, ...], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        read_date(text, formats)


@pytest.mark.parametrize("pattern", ["DD.MM", "YYYY-MM", "D D MM YYYY", "hello"])
def test_a_format_without_day_month_and_year_is_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="date format"):
        compile_format(pattern)


def test_unknown_languages_are_refused() -> None:
    assert check_language("sv") == "sv"
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        check_language("xx")


@pytest.mark.parametrize(("text", "formats"), [
    ("Tuesday, 3 March 2025", ()),
    ("Fri 3 March 2025", ("dddd D MMMM YYYY",)),
    ("Di., 3. März 2025", ()),
])
def test_a_weekday_that_is_not_the_dates_own_is_a_doubt(text: str,
                                                         formats: tuple[str, ...]) -> None:
    value, doubts = read_date(text, formats)
    assert value == "2025-03-03"
    assert len(doubts) == 1 and "is not the weekday of 2025-03-03 (Monday)" in doubts[0]


@pytest.mark.parametrize(("text", "formats"), [("14.03.2206", ()), ("14 March 1801", ()),
                                              ("14/03/2260", ("DD/MM/YYYY",))])
def test_a_year_far_from_today_is_a_doubt(text: str, formats: tuple[str, ...]) -> None:
    value, doubts = read_date(text, formats)
    assert value.endswith("-03-14") and len(doubts) == 1 and "far from today" in doubts[0]
