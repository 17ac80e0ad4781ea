"""Credit evaluations: immutable snapshots of a subject's score and grade, with every fact's
contribution, and a pointer to each subject's latest one."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import JSONVariant, StrEnumType, UTCDateTime
from ecredit.models.base import Base, utcnow


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Evaluation(Base):
    """One evaluation of one subject under one model version: never updated."""

    __tablename__ = "evaluation"
    __table_args__ = (Index("ix_evaluation_subject", "subject_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"))
    model_code: Mapped[str] = mapped_column(String(60))
    model_version: Mapped[int]
    as_of: Mapped[date] = mapped_column(Date)
    score: Mapped[int]
    grade: Mapped[Grade] = mapped_column(StrEnumType(Grade, length=2))
    # [{"dimension", "indicator", "record_id", "points", "note"}, ...]: why the score is what it is.
    contributions: Mapped[list[dict[str, Any]]] = mapped_column(JSONVariant, default=list)
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SubjectGrade(Base):
    """The latest evaluation of each subject, for lookups that must be fast (the check)."""

    __tablename__ = "subject_grade"

    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id"))
    score: Mapped[int]
    grade: Mapped[Grade] = mapped_column(StrEnumType(Grade, length=2))
    # Since when the subject has held this grade without interruption (red-list criteria).
    grade_since: Mapped[date] = mapped_column(Date)
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlatformEvaluation(Base):
    """The third-party view of a platform from its merchants' grades, complaints and fraud."""

    __tablename__ = "platform_evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    model_version: Mapped[int]
    as_of: Mapped[date] = mapped_column(Date)
    merchants: Mapped[int]
    grade_counts: Mapped[dict[str, int]] = mapped_column(JSONVariant, default=dict)
    complaint_rate: Mapped[float] = mapped_column(default=0.0)
    confirmed_fraud: Mapped[int] = mapped_column(default=0)
    score: Mapped[int]
    grade: Mapped[Grade] = mapped_column(StrEnumType(Grade, length=2))
    contributions: Mapped[list[dict[str, Any]]] = mapped_column(JSONVariant, default=list)
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
