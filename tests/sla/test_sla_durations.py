"""Durations of service goals and business-day arithmetic (UTC, Monday to Friday)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bots.sla.durations import (
    Duration,
    add_business_days,
    human,
    parse_duration,
    parse_time,
    subtract_business_days,
)


def at(day: int, hour: int = 10) -> datetime:
    """A moment in May 2024: the 3rd is a Friday, the 4th/5th a weekend, the 6th a Monday."""
    return datetime(2024, 5, day, hour, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("2 business days", Duration(2, "business_days")),
    ("1 business day", Duration(1, "business_days")),
    ("3 days", Duration(3, "days")),
    ("1 Day", Duration(1, "days")),
    ("36 hours", Duration(36, "hours")),
    (" 1.5 hours ", Duration(1.5, "hours")),
    ("90 minutes", Duration(90, "minutes")),
])
def test_accepted_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["soon", "2", "two days", "-3 days", "3 weeks", "", "days 3"])
def test_nonsense_names_the_accepted_forms(text):
    with pytest.raises(ValueError, match="'<number> business days', '<number> days'") as error:
        parse_duration(text)
    assert f"'{text}' is not a duration" in str(error.value)


def test_business_days_must_be_whole():
    with pytest.raises(ValueError, match="whole number"):
        parse_duration("1.5 business days")


def test_durations_read_back_as_written():
    assert [str(parse_duration(t)) for t in ("1 business day", "36 hours", "2 days")] == [
        "1 business day", "36 hours", "2 days"]


def test_business_days_skip_the_weekend():
    assert add_business_days(at(2), 1) == at(3)  # Thursday -> Friday
    assert add_business_days(at(3), 1) == at(6)  # Friday -> Monday, same time of day
    assert add_business_days(at(3), 2) == at(7)
    assert add_business_days(at(1), 5) == at(8)  # Wednesday -> next Wednesday


def test_an_arrival_during_the_weekend_counts_from_monday_midnight():
    assert add_business_days(at(4, 15), 1) == at(7, 0)  # Saturday -> Tuesday 00:00
    assert add_business_days(at(5, 23), 2) == at(8, 0)  # Sunday -> Wednesday 00:00


def test_calendar_days_and_hours_do_not_skip_weekends():
    assert parse_duration("3 days").after(at(3)) == at(6)
    assert parse_duration("36 hours").after(at(3)) == at(4, 22)


def test_counting_back_skips_the_weekend_too():
    assert subtract_business_days(at(6), 1) == at(3)
    assert parse_duration("1 business day").before(at(7)) == at(6)
    assert parse_duration("8 hours").before(at(6)) == at(6, 2)


def test_timestamps_are_read_as_utc():
    assert parse_time("2024-05-03T12:00:00+02:00") == at(3, 10)
    assert parse_time("2024-05-03T10:00:00") == at(3, 10)  # no offset: UTC
    assert parse_time("2024-05-03T10:00:00Z") == at(3, 10)


def test_lengths_of_time_for_people():
    assert [human(s) for s in (45, 720, 5 * 3600 + 1800, 3 * 86400 + 4 * 3600 + 5, -7200)] == [
        "45s", "12m", "5h 30m", "3d 4h", "2h"]
