"""Times as the queue says them: "3 days ago", "due in 2 hours", "overdue by 40 minutes".

The words round down to the largest whole unit, which is what a person scanning a queue needs;
the exact time goes in the cell's title (``exact``).
"""

from __future__ import annotations

from datetime import UTC, datetime

UNITS = (("year", 365 * 86400), ("month", 30 * 86400), ("week", 7 * 86400),
         ("day", 86400), ("hour", 3600), ("minute", 60))
NONE = "-"


def parsed(stamp: str | None) -> datetime | None:
    """An ISO timestamp as an aware datetime (UTC when it names no zone); None when odd."""
    try:
        then = datetime.fromisoformat(stamp or "")
    except (TypeError, ValueError):
        return None
    return then if then.tzinfo else then.replace(tzinfo=UTC)


def span(seconds: float) -> str:
    """A length of time in its largest whole unit: "1 day", "3 hours", "under a minute"."""
    for unit, size in UNITS:
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "under a minute"


def ago(stamp: str | None, now: datetime) -> str:
    """How long ago a timestamp was: "3 days ago", "just now"; "-" when there is none."""
    then = parsed(stamp)
    if then is None:
        return NONE
    seconds = (now - then).total_seconds()
    return "just now" if seconds < 60 else f"{span(seconds)} ago"


def due(stamp: str | None, now: datetime) -> str:
    """A deadline from now: "due in 2 hours", or "overdue by 40 minutes"; "-" without one."""
    then = parsed(stamp)
    if then is None:
        return NONE
    seconds = (then - now).total_seconds()
    return f"due in {span(seconds)}" if seconds >= 0 else f"overdue by {span(-seconds)}"


def exact(stamp: str | None) -> str:
    """The exact time for a title attribute: "2026-07-20 08:00:00 UTC"."""
    then = parsed(stamp)
    if then is None:
        return ""
    return then.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def age_seconds(stamp: str | None, now: datetime) -> float | None:
    """Seconds since a timestamp (for sorting by age); None when there is none."""
    then = parsed(stamp)
    return None if then is None else (now - then).total_seconds()
