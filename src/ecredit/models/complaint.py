"""Consumer complaints (投诉) and reports of dishonesty (网络失信举报), with their deadlines in
Chinese working days stored on the row, so a workbench can colour them without recomputing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import JSONVariant, StrEnumType, UTCDateTime
from ecredit.kit.workflow import TransitionTable
from ecredit.models.base import Base, Timestamped


class ComplaintKind(StrEnum):
    COMPLAINT = "complaint"  # a consumer's own dispute with a seller, platform or carrier
    REPORT = "report"  # anyone's report of dishonest conduct (网络失信举报)


class ComplaintCategory(StrEnum):
    QUALITY = "quality"  # 质量问题 / 假冒伪劣
    FALSE_ADVERTISING = "false_advertising"  # 虚假宣传 / 图物不符
    PRICE = "price"  # 价格欺诈
    DELIVERY = "delivery"  # 物流配送 / 空包裹
    AFTER_SALES = "after_sales"  # 退换货、七日无理由
    CONTRACT = "contract"  # 合同违约 / 服务违约
    FAKE_REVIEWS = "fake_reviews"  # 刷单炒信 / 恶意评价
    PERSONAL_INFO = "personal_info"  # 泄露个人信息
    OTHER = "other"


class ComplaintStatus(StrEnum):
    PLATFORM = "platform"  # with the responsible platform for direct settlement (ODR)
    DEPARTMENT = "department"  # with the competent department, to accept or refuse
    MEDIATION = "mediation"  # accepted by the department, being mediated
    CHECKING = "checking"  # a report being checked (核查)
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    REFUSED = "refused"  # not accepted, not supported, or (a report) not substantiated
    WITHDRAWN = "withdrawn"
    MEDIATED = "mediated"  # settled by agreement, at the platform or in mediation


CLOSED = frozenset(
    {
        ComplaintStatus.UPHELD,
        ComplaintStatus.PARTLY_UPHELD,
        ComplaintStatus.REFUSED,
        ComplaintStatus.WITHDRAWN,
        ComplaintStatus.MEDIATED,
    }
)
UPHELD = frozenset({ComplaintStatus.UPHELD, ComplaintStatus.PARTLY_UPHELD})

S = ComplaintStatus
COMPLAINT_TRANSITIONS = TransitionTable[ComplaintStatus](
    name="complaint",
    allowed={
        S.PLATFORM: frozenset({S.DEPARTMENT, S.MEDIATED, S.WITHDRAWN}),
        S.DEPARTMENT: frozenset({S.MEDIATION, S.REFUSED, S.WITHDRAWN}),
        S.MEDIATION: frozenset({S.UPHELD, S.PARTLY_UPHELD, S.MEDIATED, S.REFUSED, S.WITHDRAWN}),
    },
)
"""platform (ODR direct settlement) → settled (mediated), or referred to the department (by the
platform, the consumer, or the escalation job when the platform's deadline passed) → accepted
(mediation) or refused → upheld, partly upheld, mediated or refused (mediation ended without
agreement); the consumer may withdraw at any open step. A complaint with no platform to settle
it (against a carrier or a seller without a shop) starts at the department."""

REPORT_TRANSITIONS = TransitionTable[ComplaintStatus](
    name="report",
    allowed={S.CHECKING: frozenset({S.UPHELD, S.PARTLY_UPHELD, S.REFUSED, S.WITHDRAWN})},
)
"""checking → substantiated in whole or part (a case is opened) or not; a real-name reporter
may withdraw."""

TRANSITIONS = {
    ComplaintKind.COMPLAINT: COMPLAINT_TRANSITIONS,
    ComplaintKind.REPORT: REPORT_TRANSITIONS,
}


class Complaint(Timestamped, Base):
    """One complaint or report. The public knows it only by its random tracking number; the
    complainant's contact is sealed (`*_sealed`), found by a blind index, shown masked."""

    __tablename__ = "complaint"
    __audited__ = True
    __table_args__ = (Index("ix_complaint_status", "status", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_no: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[ComplaintKind] = mapped_column(StrEnumType(ComplaintKind))
    status: Mapped[ComplaintStatus] = mapped_column(StrEnumType(ComplaintStatus))
    category: Mapped[ComplaintCategory] = mapped_column(StrEnumType(ComplaintCategory))
    respondent_subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    platform_subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id"), index=True)
    order_ref: Mapped[str | None] = mapped_column(String(80))
    waybill_ref: Mapped[str | None] = mapped_column(String(80))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    description: Mapped[str] = mapped_column(Text)
    attachment_refs: Mapped[list[str]] = mapped_column(JSONVariant, default=list)
    anonymous: Mapped[bool] = mapped_column(default=False)
    complainant_name_sealed: Mapped[str | None] = mapped_column(Text)
    complainant_phone_sealed: Mapped[str | None] = mapped_column(Text)
    complainant_address_sealed: Mapped[str | None] = mapped_column(Text)
    complainant_phone_index: Mapped[str | None] = mapped_column(String(64), index=True)
    filed_on: Mapped[date] = mapped_column(Date)
    # Deadlines (Chinese working days from parameters); None when the step does not apply.
    platform_due: Mapped[date | None] = mapped_column(Date)
    referred_on: Mapped[date | None] = mapped_column(Date)
    accept_due: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    mediation_due: Mapped[date | None] = mapped_column(Date)
    check_due: Mapped[date | None] = mapped_column(Date)
    extended: Mapped[bool] = mapped_column(default=False)
    closed_on: Mapped[date | None] = mapped_column(Date)
    notify_due: Mapped[date | None] = mapped_column(Date)
    notified_on: Mapped[date | None] = mapped_column(Date)
    decided_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    decision_reason: Mapped[str | None] = mapped_column(String(500))
    outcome_record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id"))
    # Every missed deadline escalates once: "<step>@<due date>" of each escalation made.
    escalations: Mapped[list[str]] = mapped_column(JSONVariant, default=list)
    escalation_level: Mapped[int] = mapped_column(default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
