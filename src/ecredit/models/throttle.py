"""Attempt counters of public routes that check a secret (a phone, a code, a password)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import UTCDateTime
from ecredit.models.base import Base


class AttemptCounter(Base):
    """Wrong answers to one rule's secret for one key (a target such as a tracking number, or a
    client address) since `window_start`, and the lockout they earned. The key is a blind
    index, so neither a client's address nor a user name is stored. `expires_at` is when the
    row says nothing any more (its window and lockout are both over) and may be pruned."""

    __tablename__ = "attempt_counter"
    __table_args__ = (UniqueConstraint("rule", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
