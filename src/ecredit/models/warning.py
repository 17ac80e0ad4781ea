"""Merchant credit-risk early warning: each subject's current risk level with its reasons."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import JSONVariant, StrEnumType, UTCDateTime
from ecredit.models.base import Base, utcnow


class WarningLevel(StrEnum):
    """From no concern to high risk; the order of the members is the order of severity."""

    NONE = "none"
    ATTENTION = "attention"  # 关注
    WARNING = "warning"  # 预警
    HIGH = "high"  # 高风险


class SubjectWarning(Base):
    """The current warning of one subject (one row per subject, replaced by every recompute).

    `reasons` holds, for each input that scored, its code, its points and the facts behind it
    (counts, ids, detector names, a complaint spike's ratio and baseline). `changed_at` is when
    the level last changed; `computed_at` when it was last computed. The history of levels is in
    the subject's timeline, one event per change.
    """

    __tablename__ = "subject_warning"
    __table_args__ = (Index("ix_subject_warning_level", "level", "score"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), unique=True)
    level: Mapped[WarningLevel] = mapped_column(StrEnumType(WarningLevel))
    score: Mapped[int]
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSONVariant, default=list)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
