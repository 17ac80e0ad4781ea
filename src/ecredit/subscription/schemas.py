"""Pydantic I/O models of webhook subscriptions and their deliveries."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ecredit.models.subscription import DeliveryStatus, SubscriptionScope

# "list_entry.effective", "list_entry.*", "*": dotted lower-case names, a trailing ".*" for a
# whole family.
EVENT_PATTERN = r"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$"


class SubscriptionCreate(BaseModel):
    url: str = Field(min_length=8, max_length=500, description="https://… (http only if allowed)")
    scope: SubscriptionScope = SubscriptionScope.OWN_MERCHANTS
    event_types: list[str] = Field(
        min_length=1,
        max_length=20,
        description='Patterns such as "list_entry.*", "repair_case.*", "record.*" or "*".',
    )


class SubscriptionRead(BaseModel):
    """A subscription as listed: never its secret."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    organisation_id: int
    url: str
    scope: SubscriptionScope
    event_types: list[str]
    active: bool
    created_at: datetime


class SubscriptionCreated(SubscriptionRead):
    secret: str = Field(description="The HMAC secret, shown in this answer only.")


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subscription_id: int
    event_id: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
