"""Webhook subscriptions of platforms and the deliveries made to them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import JSONVariant, StrEnumType, UTCDateTime
from ecredit.models.base import Base, Timestamped, utcnow


class SubscriptionScope(StrEnum):
    OWN_MERCHANTS = "own_merchants"  # subjects with a shop on the subscriber's platform
    ALL = "all"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last retry


class Subscription(Timestamped, Base):
    """Where and what to push: list changes (and later record changes) as signed webhooks."""

    __tablename__ = "subscription"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    # The HMAC secret, sealed like personal data; shown once when the subscription is made.
    secret_sealed: Mapped[str] = mapped_column(Text)
    scope: Mapped[SubscriptionScope] = mapped_column(StrEnumType(SubscriptionScope))
    event_types: Mapped[list[str]] = mapped_column(JSONVariant, default=list)
    active: Mapped[bool] = mapped_column(default=True)


class WebhookDelivery(Base):
    """One event for one subscription; retried through the job table until delivered."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (UniqueConstraint("subscription_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONVariant)
    status: Mapped[DeliveryStatus] = mapped_column(
        StrEnumType(DeliveryStatus), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
