"""Pydantic I/O models of complaints and reports. Nothing a public reader gets carries the
complainant's contact; staff views carry it masked."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ecredit.audit.schemas import TimelineRead
from ecredit.models.complaint import ComplaintCategory, ComplaintKind, ComplaintStatus
from ecredit.models.fund import PayoutReason
from ecredit.models.record import Severity
from ecredit.subject.service import PHONE_PATTERN

Ref = Annotated[str | None, Field(default=None, max_length=80)]
Money = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=2, allow_inf_nan=False)]


def mobile_number(value: str) -> str:
    """The 11 digits of a mainland mobile number as typed with spaces or hyphens."""
    phone = value.strip().replace(" ", "").replace("-", "")
    if not PHONE_PATTERN.match(phone):
        raise ValueError("an 11-digit mainland mobile number, e.g. 13800138000")
    return phone


class _Filing(BaseModel):
    respondent_subject_id: int = Field(description="The merchant, platform or carrier.")
    category: ComplaintCategory
    order_ref: Ref = None
    waybill_ref: Ref = None
    description: str = Field(min_length=10, max_length=4000)
    attachment_refs: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=20, description="References to files kept elsewhere."
    )
    name: str | None = Field(None, min_length=2, max_length=40)
    phone: str | None = Field(None, description="An 11-digit mainland mobile number.")
    address: str | None = Field(None, max_length=200)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else mobile_number(value)


class ComplaintCreate(_Filing):
    """A consumer's complaint (SAMR Order 20 Art. 9: who, against whom, what, what is asked)."""

    platform_subject_id: int | None = Field(
        None, description="Where the order was placed; needed when the seller is on several."
    )
    amount: Money | None = Field(None, description="The amount in dispute (CNY).")

    @model_validator(mode="after")
    def _complete(self) -> ComplaintCreate:
        if self.order_ref is None and self.waybill_ref is None:
            raise ValueError("order_ref: give the order number or the waybill number")
        if self.name is None or self.phone is None:
            raise ValueError("name and phone: a complaint needs the consumer's name and phone")
        return self


class ReportCreate(_Filing):
    """A report of dishonest conduct; without a name and phone it is anonymous and the reporter
    is not told the outcome."""

    anonymous: bool = False

    @model_validator(mode="after")
    def _contact(self) -> ReportCreate:
        if self.anonymous and (self.name or self.phone or self.address):
            raise ValueError("anonymous: an anonymous report carries no name, phone or address")
        if not self.anonymous and (self.name is None or self.phone is None):
            raise ValueError(
                "name and phone: a real-name report needs both (or set anonymous: true)"
            )
        return self


class ComplaintTransition(BaseModel):
    """Move a complaint: to `department` (refer), `mediation` (accept), or an outcome."""

    status: ComplaintStatus
    reason: str = Field(min_length=2, max_length=500)
    severity: Severity | None = Field(
        None, description="Upheld complaint: the severity of its credit record (default minor)."
    )


class NotificationCreate(BaseModel):
    """The complainant or real-name reporter was told the outcome (how, briefly)."""

    channel: str = Field(min_length=2, max_length=100)


class CompensationCreate(BaseModel):
    """先行赔付 from the platform's fund on an upheld complaint; once per complaint."""

    amount: Money
    reason: PayoutReason
    memo: str | None = Field(None, max_length=500)


class DeadlineRead(BaseModel):
    step: str
    due: date
    overdue: bool


class Receipt(BaseModel):
    """What the filer gets: the tracking number and the deadlines, nothing personal."""

    tracking_no: str
    kind: ComplaintKind
    status: ComplaintStatus
    filed_on: date
    deadlines: list[DeadlineRead]


class TrackingEvent(BaseModel):
    on: date
    event: str


class TrackingRead(Receipt):
    """The public tracking page: status and deadlines only."""

    category: ComplaintCategory
    closed_on: date | None
    escalation_level: int
    history: list[TrackingEvent]


class PayoutRead(BaseModel):
    entry_id: int
    fund_id: int
    amount: Decimal
    reason: PayoutReason | None
    consumer_masked: str | None
    created_at: datetime


class ComplaintRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    tracking_no: str
    kind: ComplaintKind
    status: ComplaintStatus
    category: ComplaintCategory
    respondent_subject_id: int
    platform_subject_id: int | None
    order_ref: str | None
    waybill_ref: str | None
    amount: Decimal | None
    description: str
    attachment_refs: list[str]
    anonymous: bool
    complainant_name: str | None = Field(description="Masked.")
    complainant_phone: str | None = Field(description="Masked.")
    filed_on: date
    platform_due: date | None
    referred_on: date | None
    accept_due: date | None
    accepted_on: date | None
    mediation_due: date | None
    check_due: date | None
    extended: bool
    closed_on: date | None
    notify_due: date | None
    notified_on: date | None
    decision_reason: str | None
    outcome_record_id: int | None
    escalation_level: int
    escalated_at: datetime | None
    deadlines: list[DeadlineRead]


class ComplaintDetail(ComplaintRead):
    timeline: list[TimelineRead]
    payouts: list[PayoutRead]


class ContactRead(BaseModel):
    """The complainant's contact, unmasked: every read of it is logged."""

    tracking_no: str
    name: str | None
    phone: str | None
    address: str | None


class ExtensionCreate(BaseModel):
    reason: str = Field(min_length=2, max_length=500)


class PublicWithdrawal(BaseModel):
    """The filer withdraws, proving it by the phone number given at filing (written as at
    filing: spaces and hyphens do not make it a wrong answer)."""

    phone: str = Field(min_length=11, max_length=20)
    reason: str = Field(min_length=2, max_length=500)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return mobile_number(value)
