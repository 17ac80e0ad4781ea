"""Pydantic I/O models of credit records and files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ecredit.catalog.schema import Polarity
from ecredit.models.record import EntryAction, PenaltyKind, Severity

MAX_BATCH = 1000


class RecordCreate(BaseModel):
    """A fact to record. The subject is given by id or by unified social credit code."""

    subject_id: int | None = None
    subject_code: str | None = Field(None, description="The subject's USCC, instead of its id.")
    type_code: str = Field(min_length=2, max_length=60)
    severity: Severity | None = Field(None, description="Defaults to the type's severity.")
    legal_basis: str | None = Field(None, max_length=500)
    decision_no: str | None = Field(None, max_length=120)
    decision_date: date | None = Field(None, description="Defaults to today (Beijing time).")
    penalty_kind: PenaltyKind | None = None
    amount: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    summary: str | None = Field(None, max_length=4000)
    evidence_refs: list[str] = Field(default_factory=list, max_length=50)
    valid_until: date | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> RecordCreate:
        if (self.subject_id is None) == (self.subject_code is None):
            raise ValueError("give exactly one of subject_id and subject_code")
        return self


class RecordCorrection(BaseModel):
    """New values for some fields of a record, and why."""

    reason: str = Field(min_length=2, max_length=500)
    severity: Severity | None = None
    legal_basis: str | None = Field(None, max_length=500)
    decision_date: date | None = None
    penalty_kind: PenaltyKind | None = None
    amount: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    summary: str | None = Field(None, max_length=4000)
    evidence_refs: list[str] | None = Field(None, max_length=50)
    valid_until: date | None = None


class RecordAmendment(BaseModel):
    reason: str = Field(min_length=2, max_length=500)
    effective: date | None = Field(None, description="For an early end of publicity: last day.")


class EntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    action: EntryAction
    amends_id: int | None
    type_code: str
    severity: Severity | None
    legal_basis: str | None
    decision_no: str | None
    decision_date: date | None
    penalty_kind: PenaltyKind | None
    amount: Decimal | None
    summary: str | None
    evidence_refs: list[str]
    valid_until: date | None
    public_from: date | None
    public_until: date | None
    reason: str | None
    source_org_id: int | None
    recorded_by: str
    recorded_at: datetime


class RecordRead(BaseModel):
    """A record as it stands now (its latest version), with every entry of its history."""

    id: int
    subject_id: int
    type_code: str
    type_name: str
    polarity: Polarity
    status: str = Field(description="in_force, revoked, repaired or expired")
    is_public: bool
    public_from: date | None = Field(description="First day on display (effective)")
    public_until: date | None = Field(description="Last day on display, after any early end")
    current: EntryRead
    history: list[EntryRead]
    source_org: str | None


class PublicRecord(BaseModel):
    """What the public sees of a record: no internal history, nobody's personal data."""

    id: int
    type_code: str
    type_name: str
    polarity: Polarity
    severity: Severity | None
    legal_basis: str | None
    decision_no: str | None
    decision_date: date | None
    penalty_kind: PenaltyKind | None
    amount: Decimal | None
    summary: str | None
    public_from: date | None
    public_until: date | None
    source_org: str | None
    corrected: bool


class PublicFileGroup(BaseModel):
    type_code: str
    type_name: str
    polarity: Polarity
    records: list[PublicRecord]


class PublicFile(BaseModel):
    subject_id: int
    as_of: date
    groups: list[PublicFileGroup]


class BatchItemResult(BaseModel):
    index: int
    status: str = Field(description="created, duplicate or error")
    record_id: int | None = None
    problems: list[dict[str, str]] = Field(default_factory=list)


class BatchResult(BaseModel):
    created: int
    duplicates: int
    errors: int
    items: list[BatchItemResult]


class BatchRequest(BaseModel):
    records: list[RecordCreate] = Field(min_length=1, max_length=MAX_BATCH)


class RecordTypeRead(BaseModel):
    code: str
    name_zh: str
    name_en: str
    polarity: Polarity
    default_severity: Severity
    required_fields: list[str]
    submitters: list[str]
    evaluation_hint: str
    basis: str
