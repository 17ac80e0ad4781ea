"""Pydantic I/O models of alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ecredit.models.alert import AlertStatus, SubjectMatch
from ecredit.models.record import Severity


class RaiseCounts(BaseModel):
    """What `raise_findings` did with each finding given, in exactly one of four ways (they sum
    to the findings given): raised as a new alert; `duplicate`, raised before (by an earlier or
    a concurrent run); `repeated`, the same finding earlier in the same call; or not raised
    because its platform is not a registered platform. `unknown_shop` counts those of the new
    alerts that name a shop the registry does not know."""

    raised: int = 0
    duplicate: int = 0
    repeated: int = 0
    unregistered_platform: int = 0
    unknown_shop: int = 0


class AlertRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    fingerprint: str
    detector: str
    record_type: str
    platform_id: int
    shop_code: str | None
    shop_id: int | None
    subject_id: int | None
    subject_match: SubjectMatch
    subject_note: str = Field("", description="Why the subject is empty, when it is.")
    score: float
    key: list[str]
    window_start: datetime | None
    window_end: datetime | None
    evidence: dict[str, Any]
    summary: str = ""
    status: AlertStatus
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    record_id: int | None
    created_at: datetime


class AlertConfirm(BaseModel):
    """Confirming an alert records a credit fact of the finding's type about its subject."""

    decision_no: str | None = Field(None, max_length=120, description="Default: ALERT-<id>.")
    severity: Severity | None = Field(None, description="Default: the record type's severity.")
    note: str | None = Field(None, max_length=1000, description="Added to the record's summary.")
    subject_id: int | None = Field(
        None, description="The subject, for an alert whose shop the registry did not know."
    )


class AlertDismiss(BaseModel):
    reason: str = Field(min_length=2, max_length=2000)


class AlertFilter(BaseModel):
    status: AlertStatus | None = None
    platform_id: int | None = None
    detector: str | None = None
    record_type: str | None = None
    shop_code: str | None = None
    subject_id: int | None = None
