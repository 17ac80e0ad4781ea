"""Credit records: immutable facts about a subject, and the entries that amend them.

A record entry is never updated or deleted. A correction, a revocation, an early end of
publicity (expiry) or a repair is a new entry pointing at the original (`amends_id`); the
current state of a record is the fold of its original and its amendments.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import JSONVariant, StrEnumType, UTCDateTime
from ecredit.models.base import Base, utcnow


class Severity(StrEnum):
    """The three tiers of NDRC Order 36 (轻微 / 一般 / 严重失信)."""

    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"


class PenaltyKind(StrEnum):
    """Kinds of administrative penalty that SAMR Order 45 treats differently."""

    WARNING = "warning"  # 警告
    CRITICISM = "criticism"  # 通报批评
    SMALL_FINE = "small_fine"  # 较低数额罚款
    FINE = "fine"  # 罚款
    CONFISCATION = "confiscation"  # 没收违法所得、没收非法财物
    SUSPENSION = "suspension"  # 责令停产停业 / 限制开展生产经营活动
    LICENCE_REVOCATION = "licence_revocation"  # 暂扣或者吊销许可证
    OTHER = "other"


class EntryAction(StrEnum):
    ORIGINAL = "original"
    CORRECTION = "correction"  # replaces the facts of the original
    REVOCATION = "revocation"  # the decision was revoked: the record no longer stands
    EXPIRY = "expiry"  # publicity ends (at the end of its window, or early by decision)
    REPAIR = "repair"  # credit repair granted: hidden from the public, kept in history


class CreditRecord(Base):
    """One ledgered entry of a subject's credit file (an original fact or an amendment)."""

    __tablename__ = "credit_record"
    __table_args__ = (
        # A decision number with its issuing organisation identifies one original decision,
        # which makes re-uploading a department's 双公示 file safe.
        Index(
            "uq_credit_record_decision",
            "source_org_id",
            "type_code",
            "decision_no",
            unique=True,
            sqlite_where=text("action = 'original' AND decision_no IS NOT NULL"),
            postgresql_where=text("action = 'original' AND decision_no IS NOT NULL"),
        ),
        Index("ix_credit_record_subject", "subject_id", "type_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"))
    type_code: Mapped[str] = mapped_column(String(60))
    action: Mapped[EntryAction] = mapped_column(StrEnumType(EntryAction))
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id"), index=True)
    # None for entries the system writes itself (a commitment kept to its term).
    source_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    severity: Mapped[Severity | None] = mapped_column(StrEnumType(Severity))
    legal_basis: Mapped[str | None] = mapped_column(String(500))
    decision_no: Mapped[str | None] = mapped_column(String(120))
    decision_date: Mapped[date | None] = mapped_column(Date)
    penalty_kind: Mapped[PenaltyKind | None] = mapped_column(StrEnumType(PenaltyKind))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    summary: Mapped[str | None] = mapped_column(Text)
    evidence_refs: Mapped[list[str]] = mapped_column(JSONVariant, default=list)
    valid_until: Mapped[date | None] = mapped_column(Date)
    public_from: Mapped[date | None] = mapped_column(Date)
    public_until: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(500))
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
