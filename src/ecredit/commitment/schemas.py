"""Pydantic I/O models of credit commitments and their templates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from ecredit.commitment.template_spec import ClauseKind
from ecredit.models.commitment import CommitmentStatus
from ecredit.models.record import Severity
from ecredit.models.subject import SubjectKind


class CommitmentCreate(BaseModel):
    """Sign the current version of a template for the subject of the path."""

    model_config = ConfigDict(extra="forbid")

    template_code: str = Field(min_length=2, max_length=60)
    params: dict[str, StrictInt | StrictStr] = Field(
        default_factory=dict, description="Template parameters; omitted ones take defaults."
    )
    term_start: date | None = Field(None, description="First day of the term; default today.")


class BreachCreate(BaseModel):
    """The facts of a breach; they become a `commitment_breach` credit record."""

    model_config = ConfigDict(extra="forbid")

    summary: str = Field(min_length=2, max_length=3000)
    evidence_refs: list[str] = Field(min_length=1, max_length=50)
    decision_no: str | None = Field(None, max_length=120)
    decision_date: date | None = Field(None, description="Defaults to today (Beijing time).")
    severity: Severity | None = Field(None, description="Defaults to the type's severity.")
    legal_basis: str | None = Field(None, max_length=500)


class Withdrawal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=2, max_length=500)


class CommitmentRead(BaseModel):
    """A commitment for authorised staff: the text as signed, who signed it and how it ended."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    subject_id: int
    template_code: str
    template_version: int
    title: str
    text: str
    params: dict[str, Any]
    status: CommitmentStatus
    term_start: date
    term_end: date
    signed_at: datetime
    signed_by: str
    signed_via_org_id: int | None
    outcome_record_id: int | None


class PublicCommitment(BaseModel):
    """What the public sees: the text, the term and the outcome; nobody's personal data."""

    id: int
    subject_id: int
    subject_name: str
    template_code: str
    template_version: int
    title: str
    text: str
    status: CommitmentStatus
    term_start: date
    term_end: date
    signed_on: date
    outcome_date: date | None = Field(description="When it was kept or breached.")
    outcome_record_id: int | None


class ParameterRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    type: str
    label_zh: str
    label_en: str
    default: int | str | None
    min: int | None = None
    max: int | None = None
    max_length: int | None = None
    pattern: str | None = None


class ClauseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: ClauseKind
    text_zh: str
    text_en: str


class TemplateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    version: int
    title_zh: str
    title_en: str
    preamble_zh: str
    preamble_en: str
    subject_kinds: list[SubjectKind]
    term_months: int
    parameters: list[ParameterRead]
    clauses: list[ClauseRead]
    basis: str
