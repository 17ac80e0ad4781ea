"""Pydantic I/O models of lists, list entries and notices."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ecredit.listing.kinds import Colour
from ecredit.models.listing import ListStatus
from ecredit.models.org import OrgKind
from ecredit.models.subject import SubjectKind


class ListKindRead(BaseModel):
    code: str
    name_zh: str
    name_en: str
    colour: Colour
    public: bool
    subject_kinds: list[SubjectKind]
    legal_basis: str
    validity_months: int
    publicity_workdays: int
    deciders: list[OrgKind]
    automatic: str | None = Field(description="the automatic proposal rule, if any")


class ListEntryCreate(BaseModel):
    """A department's or the credit office's proposal, with its legal basis and reason."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    subject_id: int | None = None
    subject_code: str | None = Field(None, max_length=18, description="unified social credit code")
    list_kind: str = Field(max_length=60)
    legal_basis: str = Field(min_length=2, max_length=500)
    reason: str = Field(min_length=2, max_length=2000)
    source_record_id: int | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> ListEntryCreate:
        if (self.subject_id is None) == (self.subject_code is None):
            raise ValueError("give exactly one of subject_id and subject_code")
        return self


class TransitionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: ListStatus = Field(description="the target status")
    reason: str | None = Field(None, max_length=2000)
    version: int | None = Field(
        None, description="the entry's version as last read: a stale one is a 409"
    )


class ListEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subject_id: int
    list_kind: str
    status: ListStatus
    origin: str
    proposed_by_org_id: int | None
    decided_by_org_id: int | None
    source_record_id: int | None
    legal_basis: str | None
    reason: str
    publicity_from: date | None
    publicity_until: date | None
    effective_from: date | None
    valid_until: date | None
    ended_on: date | None
    end_reason: str | None
    version: int
    created_at: datetime


class TimelineItem(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor: str
    kind: str
    summary: str
    data: dict[str, Any]


class ListEntryDetail(ListEntryRead):
    timeline: list[TimelineItem]


class PublicListEntry(BaseModel):
    """A list member (or a proposal under publicity) as the public sees it."""

    id: int
    list_kind: str
    status: ListStatus
    subject_id: int
    subject_name: str
    subject_kind: SubjectKind
    uscc: str | None
    region_code: str | None
    legal_basis: str | None
    reason: str
    publicity_from: date | None
    publicity_until: date | None
    effective_from: date | None
    valid_until: date | None


class NoticeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subject_id: int
    kind: str
    title: str
    body: str
    entity: str
    entity_id: int
    sent_at: datetime


class SweepResult(BaseModel):
    proposed: int
    effective: int
    expired: int
