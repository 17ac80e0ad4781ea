"""Pydantic I/O models of the measure domain: the check's answer, feedback, and the loop counts."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from ecredit.measure.catalogue import ListColour, MeasureKind
from ecredit.models.measure import FeedbackOutcome
from ecredit.models.org import OrgKind
from ecredit.models.scoring import Grade


class CheckSubject(BaseModel):
    id: int
    name: str = Field(description="public name: a natural person's name is masked")
    code: str | None = Field(description="unified social credit code")
    kind: str


class CheckGrade(BaseModel):
    grade: Grade
    score: int
    evaluated_at: datetime


class Membership(BaseModel):
    entry_id: int
    list_kind: str
    colour: ListColour | None
    since: date | None
    valid_until: date | None


class MeasureRead(BaseModel):
    code: str
    name_zh: str
    name_en: str
    kind: MeasureKind
    entry_id: int = Field(description="the list entry that makes the measure apply")
    list_kind: str
    legal_basis: str
    description: str


class CheckCaller(BaseModel):
    org_kind: OrgKind | None
    department: str | None


class CheckRead(BaseModel):
    """One round trip before handling a subject: who it is, its grade, its list memberships in
    force, and the measures the caller's kind of organisation carries out for them."""

    check_id: str
    checked_at: datetime
    subject: CheckSubject
    grade: CheckGrade | None
    memberships: list[Membership]
    measures: list[MeasureRead]
    caller: CheckCaller


class FeedbackCreate(BaseModel):
    """发起 → 响应 → 反馈: the caller reports one measure for one list entry."""

    list_entry_id: int
    measure_code: str = Field(min_length=1, max_length=60)
    outcome: FeedbackOutcome
    reason: str | None = Field(None, max_length=500, description="required when not applied")
    check_id: str | None = Field(None, max_length=64, description="the check that prompted it")


class FeedbackRead(BaseModel):
    id: int
    list_entry_id: int
    subject_id: int
    measure_code: str
    organisation_id: int
    outcome: FeedbackOutcome
    reason: str | None
    reported_at: datetime
    supersedes: int | None = Field(description="the earlier report of the same measure, if any")


class StatsBy(StrEnum):
    MEASURE = "measure"
    ORGANISATION = "organisation"
    SUBJECT = "subject"


class LoopCounts(BaseModel):
    """initiated (发起): (entry, measure) pairs an entry in force made applicable;
    responded (响应): (entry, measure, organisation) triples where the organisation checked the
    subject while the entry was in force and was answered with the measure;
    applied / not_applied (反馈): triples whose latest report has that outcome."""

    initiated: int = 0
    responded: int = 0
    applied: int = 0
    not_applied: int = 0


class StatsRow(LoopCounts):
    key: str
    label: str


class PublicMeasureLoop(LoopCounts):
    code: str
    name_zh: str
    name_en: str
    kind: MeasureKind


class PublicMembershipMeasures(BaseModel):
    """One list entry in force and, per measure, how far the loop has gone (no organisation
    is named)."""

    entry_id: int
    list_kind: str
    colour: ListColour | None
    since: date | None
    valid_until: date | None
    measures: list[PublicMeasureLoop]
