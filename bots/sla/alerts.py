"""Alerts for items that became at risk or breached: a log event always, a webhook POST if set.

Each (item, state) is alerted once. The ledger's events table remembers what was sent (event
`sla.alert` with the state), so a later `sla` command, another process or another host sharing
the database does not alert again. A webhook that fails is logged and never stops anything;
the alert still counts as raised, since its log event was written (a webhook that is down would
otherwise be retried, and the log flooded, on every check).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import structlog

from bots.secrets import read_env, redact
from bots.sla.durations import iso
from bots.sla.goal import ServiceGoal
from bots.sla.states import ALERT_STATES

if TYPE_CHECKING:
    from bots.ledger import Ledger

ALERT_EVENT = "sla.alert"
WEBHOOK_TIMEOUT_S = 5.0
_ENV_REFERENCE = re.compile(r"\$\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}")

Post = Callable[..., Any]


def raise_alerts(ledger: Ledger, report: dict[str, Any], goals: Mapping[str, ServiceGoal | None],
                 now: datetime, post: Post | None = None) -> list[dict[str, Any]]:
    """Alert every open item of the report newly at risk or breached; the alerts raised."""
    raised = []
    for section in report["recipes"]:
        goal = goals.get(section["recipe"])
        if goal is None:
            continue
        url = webhook_url(goal)
        for row in section["open"]:
            if row["state"] in ALERT_STATES and not already_alerted(ledger, row):
                raised.append(_alert(ledger, section["recipe"], row, url, now, post))
    return raised


def already_alerted(ledger: Ledger, row: dict[str, Any]) -> bool:
    """True when the item was alerted in this state before."""
    return any(event["event"] == ALERT_EVENT and event["data"].get("state") == row["state"]
               for event in ledger.events(row["item_id"]))


def _alert(ledger: Ledger, recipe: str, row: dict[str, Any], url: str | None, now: datetime,
           post: Post | None) -> dict[str, Any]:
    alert = {"recipe": recipe, "item_id": row["item_id"], "name": row["name"],
             "state": row["state"], "due_at": row["due_at"], "code": row["code"]}
    structlog.get_logger().warning(ALERT_EVENT, **alert)
    alert["webhook"] = send(url, {"event": ALERT_EVENT, **alert, "at": iso(now)},
                            post) if url else "none"
    ledger.add_event(row["item_id"], ALERT_EVENT, state=row["state"], due_at=row["due_at"],
                     webhook=alert["webhook"])
    return alert


def send(url: str, body: dict[str, Any], post: Post | None = None) -> str:
    """POST the alert as JSON: 'sent', or 'failed' (logged, never raised)."""
    if post is None:
        import httpx  # here, not at import: every run loads this module, few send an alert

        post = httpx.post
    try:
        response = post(url, json=body, timeout=WEBHOOK_TIMEOUT_S)
        response.raise_for_status()
    except Exception as error:  # a notification is best effort: no failure may stop the check
        structlog.get_logger().error("sla.webhook_failed", item_id=body["item_id"],
                                     error=redact(f"{type(error).__name__}: {error}"))
        return "failed"
    return "sent"


def webhook_url(goal: ServiceGoal) -> str | None:
    """The goal's webhook with `${env.NAME}` filled in; None (logged) when a variable is unset.

    Values read from the environment are registered as secrets: webhook URLs usually carry
    their token, and logs and the ledger mask registered secrets.
    """
    if not goal.alert_webhook:
        return None
    missing = [name for name in _ENV_REFERENCE.findall(goal.alert_webhook)
               if read_env(name, sensitive=True) is None]
    if missing:
        structlog.get_logger().error("sla.webhook_unset", missing=missing,
                                     hint="set them in the environment or .env")
        return None
    return _ENV_REFERENCE.sub(lambda m: read_env(m.group(1)) or "", goal.alert_webhook)
