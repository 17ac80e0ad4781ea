"""Thin JSON routes of joint rewards and punishments: the check, feedback, the loop counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from ecredit.authz.deps import Requires, SessionDep
from ecredit.authz.principals import Principal, Scope
from ecredit.measure.check import Caller, CheckService
from ecredit.measure.loop import feedback_service
from ecredit.measure.schemas import (
    CheckRead,
    FeedbackCreate,
    FeedbackRead,
    PublicMembershipMeasures,
    StatsBy,
    StatsRow,
)
from ecredit.measure.stats import loop_stats, public_measures

router = APIRouter(tags=["measures"])
public_router = APIRouter(prefix="/public", tags=["public"])


def _checks(request: Request) -> CheckService:
    service: CheckService = request.app.state.checks
    return service


@router.get("/checks", response_model=CheckRead)
def check_subject(
    request: Request,
    session: SessionDep,
    principal: Principal = Requires(Scope.CHECK_READ),
    code: Annotated[
        str | None, Query(max_length=18, description="unified social credit code")
    ] = None,
    name: Annotated[str | None, Query(max_length=200, description="exact registered name")] = None,
) -> Response:
    """联合奖惩查询: one round trip before handling a subject — its grade, its list memberships
    in force, and the measures your kind of organisation (and department) carries out for them.
    Unknown subject: 404; a name shared by several subjects: 409 listing their codes."""
    result = _checks(request).check(session, Caller.of(principal), code, name)
    return Response(result.json_bytes(), media_type="application/json")


@router.post("/measure-feedback", response_model=FeedbackRead, status_code=201)
def report_feedback(
    request: Request,
    session: SessionDep,
    data: FeedbackCreate,
    principal: Principal = Requires(Scope.MEASURE_FEEDBACK),
) -> FeedbackRead:
    """反馈: report a measure applied, or not applied with a reason, for one list entry. Only a
    measure your organisation kind carries out for that entry's list (403 otherwise). A second
    report of the same measure is a new fact that supersedes the first in the counts."""
    catalogue = _checks(request).catalogue
    feedback, supersedes = feedback_service.report(
        session, catalogue, Caller.of(principal), data, principal.actor
    )
    return FeedbackRead(
        id=feedback.id,
        list_entry_id=feedback.list_entry_id,
        subject_id=feedback.subject_id,
        measure_code=feedback.measure_code,
        organisation_id=feedback.organisation_id,
        outcome=feedback.outcome,
        reason=feedback.reason,
        reported_at=feedback.reported_at,
        supersedes=supersedes,
    )


@router.get("/measure-stats", response_model=list[StatsRow])
def measure_stats(
    request: Request,
    session: SessionDep,
    by: StatsBy = StatsBy.MEASURE,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    _principal: Principal = Requires(Scope.RECORD_READ),
) -> list[StatsRow]:
    """发起 → 响应 → 反馈 counts per measure, organisation or subject (definitions in the
    schema: initiated pairs, responded and reported triples, latest report counts)."""
    return loop_stats(session, _checks(request).catalogue, by, limit)


@public_router.get("/subjects/{subject_id}/measures", response_model=list[PublicMembershipMeasures])
def public_subject_measures(
    request: Request, session: SessionDep, subject_id: int
) -> list[PublicMembershipMeasures]:
    """The subject's list entries in force and, per measure, how far the joint reward or
    punishment loop has gone (counts only; no organisation is named)."""
    checks = _checks(request)
    return public_measures(session, checks.catalogue, subject_id, checks.runtime.today())
