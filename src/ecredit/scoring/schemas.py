"""Pydantic I/O of evaluations: the full snapshot for staff, the explanation for the public."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from ecredit.models.scoring import Grade


class ContributionRead(BaseModel):
    """One fact's share of the score: a record (record_id), a subject field, a cap or clamp."""

    dimension: str
    indicator: str
    record_id: int | None
    points: int
    note: str


class EvaluationRead(BaseModel):
    """A snapshot: `base` + the sum of `contributions` is `score`, exactly."""

    id: int
    subject_id: int
    model_code: str
    model_version: int
    as_of: date
    base: int
    score: int
    grade: Grade
    contributions: list[ContributionRead]
    evaluated_at: datetime


class IndicatorExplanation(BaseModel):
    code: str
    name_zh: str
    name_en: str
    facts: int  # how many records counted (0 for subject fields, caps, clamp)
    points: int


class DimensionExplanation(BaseModel):
    code: str
    name_zh: str
    name_en: str
    points: int
    indicators: list[IndicatorExplanation]


class PublicGrade(BaseModel):
    """A subject's grade for anyone: `base` + the dimensions' points is `score`. No personal
    data and no record detail (some records are never published), only counts and points."""

    subject_id: int
    grade: Grade
    score: int
    grade_since: date | None
    as_of: date
    model_code: str
    model_version: int
    base: int
    dimensions: list[DimensionExplanation]


class PlatformEvaluationRead(BaseModel):
    """The third-party view of a platform: `base` + the sum of `contributions` is `score`."""

    id: int
    platform_id: int
    model_version: int
    as_of: date
    merchants: int
    grade_counts: dict[str, int]
    complaint_rate: float
    confirmed_fraud: int
    base: int
    score: int
    grade: Grade
    contributions: list[ContributionRead]
    evaluated_at: datetime
