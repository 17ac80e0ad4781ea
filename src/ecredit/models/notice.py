"""Notices sent to subjects (列入告知, 公示, 移出, 受理, 决定 …), kept as sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import UTCDateTime
from ecredit.models.base import Base, utcnow


class Notice(Base):
    """A notice to a subject (列入告知, 公示, 移出 …), kept as sent; read on the portal."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
