"""The change log (automatic, per row), the business timeline, and personal-data access."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import JSONVariant, UTCDateTime
from ecredit.models.base import Base, utcnow


class ChangeRecord(Base):
    """Before and after of one audited row, with who did it and within which request."""

    __tablename__ = "change_record"
    __table_args__ = (Index("ix_change_record_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    request_id: Mapped[str | None] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(10))  # create | update | delete
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONVariant)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONVariant)


class TimelineEvent(Base):
    """A business event written on purpose by a service ("verification approved by 市场监管")."""

    __tablename__ = "timeline_event"
    __table_args__ = (Index("ix_timeline_event_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(String(500))
    data: Mapped[dict[str, Any]] = mapped_column(JSONVariant, default=dict)


class PersonalDataAccess(Base):
    """Every read of unmasked personal data: who, whose, which fields, why."""

    __tablename__ = "personal_data_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    request_id: Mapped[str | None] = mapped_column(String(64))
    subject_id: Mapped[int] = mapped_column(index=True)
    fields: Mapped[list[str]] = mapped_column(JSONVariant)
    purpose: Mapped[str] = mapped_column(String(200))
