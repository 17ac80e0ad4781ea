"""Objections (异议) and credit-repair applications (信用修复): cases with working-day deadlines."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import JSONVariant, StrEnumType, UTCDateTime
from ecredit.kit.workflow import TransitionTable
from ecredit.models.base import Base, Timestamped


class CaseKind(StrEnum):
    OBJECTION = "objection"  # the record is wrong
    REPAIR = "repair"  # the record is right, the subject has corrected its conduct


class CaseTarget(StrEnum):
    RECORD = "record"
    LIST_ENTRY = "list_entry"


class CaseStatus(StrEnum):
    FILED = "filed"
    ACKNOWLEDGED = "acknowledged"
    GRANTED = "granted"  # objection upheld / repair granted
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


CASE_TRANSITIONS = TransitionTable[CaseStatus](
    name="objection or repair case",
    allowed={
        CaseStatus.FILED: frozenset(
            {CaseStatus.ACKNOWLEDGED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN}
        ),
        CaseStatus.ACKNOWLEDGED: frozenset(
            {CaseStatus.GRANTED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN}
        ),
    },
)
"""filed → acknowledged → granted or refused; refused straight away when plainly inadmissible;
withdrawn by the applicant before a decision."""


class RepairCase(Timestamped, Base):
    """One objection or repair application, with its deadlines in Chinese working days."""

    __tablename__ = "repair_case"
    __audited__ = True
    __table_args__ = (Index("ix_repair_case_status", "status", "decision_due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CaseKind] = mapped_column(StrEnumType(CaseKind))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    target: Mapped[CaseTarget] = mapped_column(StrEnumType(CaseTarget))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id"))
    list_entry_id: Mapped[int | None] = mapped_column(ForeignKey("list_entry.id"))
    status: Mapped[CaseStatus] = mapped_column(StrEnumType(CaseStatus))
    applicant: Mapped[str] = mapped_column(String(120))
    grounds: Mapped[str] = mapped_column(Text)
    evidence_refs: Mapped[list[str]] = mapped_column(JSONVariant, default=list)
    filed_on: Mapped[date] = mapped_column(Date)
    acknowledge_due: Mapped[date] = mapped_column(Date)
    decision_due: Mapped[date] = mapped_column(Date)
    removal_due: Mapped[date | None] = mapped_column(Date)
    decided_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    decision_reason: Mapped[str | None] = mapped_column(String(500))
    outcome_record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id"))
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation_level: Mapped[int] = mapped_column(default=0)
