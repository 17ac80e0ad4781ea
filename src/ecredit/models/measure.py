"""Joint rewards and punishments: the feedback loop of every measure applied (发起→响应→反馈),
and the log of checks that departments and platforms make before handling a subject."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import JSONVariant, StrEnumType, UTCDateTime
from ecredit.models.base import Base, utcnow


class FeedbackOutcome(StrEnum):
    APPLIED = "applied"
    NOT_APPLIED = "not_applied"


class CheckLog(Base):
    """One check (联合奖惩 query): who asked about whom, and which measures were answered.

    The check path is hot, so rows are written in batches by the server (at most a second
    late), not one insert per request."""

    __tablename__ = "check_log"
    __table_args__ = (Index("ix_check_log_org_subject", "organisation_id", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id"))
    query: Mapped[str] = mapped_column(String(200))
    measure_codes: Mapped[list[str]] = mapped_column(JSONVariant, default=list)
    list_entry_ids: Mapped[list[int]] = mapped_column(JSONVariant, default=list)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeasureFeedback(Base):
    """An organisation's report on one measure for one list entry: applied, or not and why."""

    __tablename__ = "measure_feedback"
    __table_args__ = (Index("ix_measure_feedback_entry", "list_entry_id", "measure_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_entry_id: Mapped[int] = mapped_column(ForeignKey("list_entry.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    measure_code: Mapped[str] = mapped_column(String(60))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    outcome: Mapped[FeedbackOutcome] = mapped_column(StrEnumType(FeedbackOutcome))
    reason: Mapped[str | None] = mapped_column(String(500))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONVariant, default=dict)
    reported_by: Mapped[str] = mapped_column(String(120))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
