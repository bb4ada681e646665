"""A recipe's service goal: when its items are due and when to warn (the `service_goal:` key)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bots.sla.durations import parse_duration


class ServiceGoal(BaseModel):
    """When an item must be finished, counted from its arrival, and when to warn."""

    model_config = ConfigDict(extra="forbid")

    due_after: str = Field(default="2 business days", description="e.g. '2 business days', "
                           "'3 days', '36 hours': the time allowed from arrival to done.")
    at_risk_before: str = Field(default="8 hours", description="An open item is at risk this "
                                "long before it is due.")
    alert_webhook: str | None = Field(default=None, description="A URL to POST alerts to "
                                      "(usually ${env.ALERT_WEBHOOK}); alerts are always logged.")

    @field_validator("due_after", "at_risk_before")
    @classmethod
    def _is_a_duration(cls, value: str) -> str:
        parse_duration(value)
        return value
