"""Runtime parameters (deadlines, weights, thresholds) with their full revision history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import JSONVariant, UTCDateTime
from ecredit.models.base import Base, utcnow


class Parameter(Base):
    """The current value of a parameter that an operator has set (defaults live in code)."""

    __tablename__ = "parameter"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONVariant)
    revision: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ParameterRevision(Base):
    """Every value a parameter has had, who set it and why."""

    __tablename__ = "parameter_revision"
    __table_args__ = (UniqueConstraint("key", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(ForeignKey("parameter.key"), index=True)
    revision: Mapped[int]
    value: Mapped[Any] = mapped_column(JSONVariant)
    changed_by: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(String(300), default="")
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
