"""Service goals: when items are due, which are on time, at risk or breached, and alerts.

    due_at(goal, arrived_at)            the due time of a new item (ISO, UTC)
    state(item, goal, now)              on_time | at_risk | breached | met | missed
    report(ledger, recipe, goals, now)  per recipe: counts, oldest open item, open items
    raise_alerts(ledger, report, goals, now)   log + webhook, once per (item, state)
    run_counts(ledger, recipe, goal, now)      open items by state, for a run's summary

Every function takes `now`: nothing here reads the clock, so tests and callers control time.
"""

from bots.sla.alerts import raise_alerts
from bots.sla.durations import Duration, parse_duration
from bots.sla.report import report
from bots.sla.states import due_at, run_counts, state

__all__ = ["Duration", "due_at", "parse_duration", "raise_alerts", "report", "run_counts",
           "state"]
