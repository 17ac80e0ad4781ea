"""Alerts: detector findings held for a regulator to confirm (→ a credit record) or dismiss."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import JSONVariant, StrEnumType, UTCDateTime
from ecredit.kit.workflow import TransitionTable
from ecredit.models.base import Base, Timestamped


class AlertStatus(StrEnum):
    OPEN = "open"  # raised by a detector, waiting for a regulator
    CONFIRMED = "confirmed"  # a regulator confirmed it; a credit record was made
    DISMISSED = "dismissed"  # a regulator dismissed it, with a reason


ALERT_TRANSITIONS = TransitionTable[AlertStatus](
    name="alert",
    allowed={AlertStatus.OPEN: frozenset({AlertStatus.CONFIRMED, AlertStatus.DISMISSED})},
)
"""open → confirmed (a credit record of the finding's type) or dismissed (with a reason); both
are final: a confirmed alert's record is corrected through the record workflow, and a detector
that finds the same thing again does not reopen a dismissed alert (same fingerprint)."""


class SubjectMatch(StrEnum):
    """How the alert's shop was found in the registry."""

    MATCHED = "matched"  # platform + shop code name a registered shop
    UNKNOWN_SHOP = "unknown_shop"  # the platform's shop code is not registered
    NO_SHOP = "no_shop"  # the finding names accounts, not a shop


class Alert(Timestamped, Base):
    """One detector finding, raised once (its fingerprint is unique), with its evidence."""

    __tablename__ = "alert"
    __audited__ = True
    __table_args__ = (Index("ix_alert_platform_status", "platform_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    detector: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(60))
    platform_id: Mapped[int] = mapped_column(ForeignKey("subject.id"))
    shop_code: Mapped[str | None] = mapped_column(String(64))
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shop.id"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id"), index=True)
    subject_match: Mapped[SubjectMatch] = mapped_column(StrEnumType(SubjectMatch))
    score: Mapped[float] = mapped_column(Float)
    key: Mapped[list[str]] = mapped_column(JSONVariant, default=list)
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONVariant, default=dict)
    status: Mapped[AlertStatus] = mapped_column(StrEnumType(AlertStatus), default=AlertStatus.OPEN)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str | None] = mapped_column(String(2000))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id"))
