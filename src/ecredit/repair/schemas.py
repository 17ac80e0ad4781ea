"""Pydantic I/O models of objections and credit-repair cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ecredit.audit.schemas import TimelineRead
from ecredit.models.repair import CaseKind, CaseStatus, CaseTarget
from ecredit.record.schemas import RecordCorrection


class CaseCreate(BaseModel):
    """An objection to a record, or a repair application for a record or a list entry."""

    kind: CaseKind
    target: CaseTarget = CaseTarget.RECORD
    record_id: int | None = None
    list_entry_id: int | None = None
    grounds: str = Field(min_length=5, max_length=4000)
    evidence_refs: list[str] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _one_target(self) -> CaseCreate:
        wanted = "record_id" if self.target is CaseTarget.RECORD else "list_entry_id"
        other = "list_entry_id" if wanted == "record_id" else "record_id"
        if getattr(self, wanted) is None or getattr(self, other) is not None:
            raise ValueError(f"a {self.target.value} case names exactly its {wanted}")
        return self


class IdentityProof(BaseModel):
    """Who the subject is: its unified social credit code, or for a natural person its full ID
    number (checked against the blind index)."""

    uscc: str | None = Field(None, min_length=18, max_length=18)
    id_number: str | None = Field(None, min_length=18, max_length=18)

    @model_validator(mode="after")
    def _one_proof(self) -> IdentityProof:
        if (self.uscc is None) == (self.id_number is None):
            raise ValueError("give exactly one of uscc and id_number")
        return self


class PublicCaseCreate(CaseCreate, IdentityProof):
    """The subject files for itself, proving who it is, with a contact for the department."""

    contact_name: str = Field(min_length=2, max_length=40)
    contact_phone: str = Field(min_length=11, max_length=20)


class PublicWithdrawal(IdentityProof):
    reason: str = Field(min_length=2, max_length=500)


class CaseDecision(BaseModel):
    """Grant or refuse, with the reason. For an upheld objection: the corrected facts
    (`correction`), or `revoke: true` when the record should not exist at all."""

    decision: Literal["granted", "refused"]
    reason: str = Field(min_length=2, max_length=500)
    correction: RecordCorrection | None = Field(
        None, description="Upheld objection: the corrected values, with their own reason."
    )
    revoke: bool = False

    @model_validator(mode="after")
    def _outcome(self) -> CaseDecision:
        if self.correction is not None and self.revoke:
            raise ValueError("give either correction or revoke: true, not both")
        return self


class CaseWithdrawal(BaseModel):
    reason: str = Field(min_length=2, max_length=500)


class CaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: CaseKind
    subject_id: int
    target: CaseTarget
    record_id: int | None
    list_entry_id: int | None
    status: CaseStatus
    applicant: str
    grounds: str
    evidence_refs: list[str]
    filed_on: date
    acknowledge_due: date
    decision_due: date
    removal_due: date | None
    decided_by_org_id: int | None
    decision_reason: str | None
    outcome_record_id: int | None
    escalation_level: int
    escalated_at: datetime | None
    overdue: list[str] = Field(description="Steps past their deadline today")
    removal_met: bool | None = Field(
        None, description="Granted list-entry repair: was the entry removed by removal_due?"
    )


class CaseDetail(CaseRead):
    timeline: list[TimelineRead]


class PublicCaseReceipt(BaseModel):
    """What the public filer gets back: no personal data, only the case and its deadlines."""

    id: int
    kind: CaseKind
    status: CaseStatus
    filed_on: date
    acknowledge_due: date
    decision_due: date
