"""Pydantic I/O models of the early warning."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from ecredit.models.warning import WarningLevel


class WarningFilter(BaseModel):
    level: WarningLevel | None = Field(None, description="Default: every level above none.")
    region: str | None = Field(
        None, pattern=r"^[0-9]{2,6}$", description="Prefix of the subject's region code."
    )


class ReasonRead(BaseModel):
    code: str = Field(description="detector_alerts | complaint_spike | negative_records | lists")
    points: int
    facts: dict[str, Any] = Field(description="Counts, ids, detectors, a spike's ratio …")


class WarningRead(BaseModel):
    subject_id: int
    subject_name: str
    region_code: str | None
    level: WarningLevel
    score: int
    reasons: list[ReasonRead]
    computed_at: datetime | None = Field(description="Null when never computed.")
    changed_at: datetime | None = Field(description="When the level last changed.")


class RecomputeCounts(BaseModel):
    """What one run over every candidate subject did."""

    subjects: int = 0
    changed: int = 0
