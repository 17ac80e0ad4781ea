"""Credit commitments (信用承诺): a subject's signed, public promise in a standard format."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import JSONVariant, StrEnumType, UTCDateTime
from ecredit.kit.workflow import TransitionTable
from ecredit.models.base import Base, Timestamped, utcnow


class CommitmentStatus(StrEnum):
    ACTIVE = "active"
    BREACHED = "breached"
    KEPT = "kept"
    WITHDRAWN = "withdrawn"


COMMITMENT_TRANSITIONS = TransitionTable[CommitmentStatus](
    name="credit commitment",
    allowed={
        CommitmentStatus.ACTIVE: frozenset(
            {CommitmentStatus.BREACHED, CommitmentStatus.KEPT, CommitmentStatus.WITHDRAWN}
        ),
    },
)
"""A commitment is active until it is breached (a breach record), kept to its term (a positive
record) or withdrawn before its term by the subject (no record; the timeline keeps it)."""


class Commitment(Timestamped, Base):
    """One signed commitment: which template and version, its text as signed, its term."""

    __tablename__ = "commitment"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    template_code: Mapped[str] = mapped_column(String(60))
    template_version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    params: Mapped[dict[str, Any]] = mapped_column(JSONVariant, default=dict)
    signed_via_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    signed_by: Mapped[str] = mapped_column(String(120))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    status: Mapped[CommitmentStatus] = mapped_column(
        StrEnumType(CommitmentStatus), default=CommitmentStatus.ACTIVE
    )
    outcome_record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id"))
