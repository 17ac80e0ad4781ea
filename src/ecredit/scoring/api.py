"""Thin JSON routes of credit evaluation: snapshots for staff, grades and platforms in public."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ecredit.authz.deps import Requires, SessionDep
from ecredit.authz.principals import Principal, Scope
from ecredit.scoring import platform, views
from ecredit.scoring.deps import ScoringDep
from ecredit.scoring.schemas import EvaluationRead, PlatformEvaluationRead, PublicGrade

router = APIRouter(tags=["evaluation"])
public_router = APIRouter(prefix="/public", tags=["public"])


@router.get("/subjects/{subject_id}/evaluation", response_model=EvaluationRead)
def latest_evaluation(
    subject_id: int,
    session: SessionDep,
    scoring: ScoringDep,
    _: Principal = Requires(Scope.RECORD_READ),
) -> EvaluationRead:
    """The latest evaluation with the contribution of every fact (base + Σ = score)."""
    return views.evaluation_read(scoring.latest(session, subject_id))


@router.get("/subjects/{subject_id}/evaluations", response_model=list[EvaluationRead])
def evaluation_history(
    subject_id: int,
    session: SessionDep,
    scoring: ScoringDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    _: Principal = Requires(Scope.RECORD_READ),
) -> list[EvaluationRead]:
    """Earlier snapshots, newest first; none is ever changed."""
    return [views.evaluation_read(e) for e in scoring.history(session, subject_id, limit)]


@router.post("/subjects/{subject_id}/evaluation", status_code=201, response_model=EvaluationRead)
def evaluate_subject(
    subject_id: int,
    session: SessionDep,
    scoring: ScoringDep,
    _: Principal = Requires(Scope.EVALUATION_RUN),
) -> EvaluationRead:
    """Evaluate the subject now: a new snapshot, and its grade updated."""
    return views.evaluation_read(scoring.evaluate_subject(session, subject_id))


@router.post(
    "/platforms/{platform_id}/evaluation", status_code=201, response_model=PlatformEvaluationRead
)
def evaluate_platform(
    platform_id: int,
    session: SessionDep,
    scoring: ScoringDep,
    _: Principal = Requires(Scope.EVALUATION_RUN),
) -> PlatformEvaluationRead:
    """Evaluate a platform now from its merchants' current grades, complaints and fraud."""
    return views.platform_read(platform.evaluate_platform(scoring, session, platform_id))


@public_router.get("/subjects/{subject_id}/grade", response_model=PublicGrade)
def public_grade(subject_id: int, session: SessionDep, scoring: ScoringDep) -> PublicGrade:
    """The grade, score and date, explained by dimension and indicator (base + Σ = score)."""
    evaluation = scoring.latest(session, subject_id)
    grade = scoring.grade(session, subject_id)
    return views.public_grade(evaluation, grade, scoring.model)


@public_router.get("/platforms/{platform_id}/evaluation", response_model=PlatformEvaluationRead)
def public_platform_evaluation(platform_id: int, session: SessionDep) -> PlatformEvaluationRead:
    """The latest third-party evaluation of a platform, with its contributions."""
    return views.platform_read(platform.latest_platform(session, platform_id))
