"""Thin JSON routes of detection runs: the recorded runs with their counts and timings, and a
run asked for now (queued as the job `alert.detect`). The credit office and departments only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ecredit.alert.run_schemas import DetectionRunCreate, DetectionRunQueued, DetectionRunRead
from ecredit.alert.runs import detection_runs
from ecredit.authz.deps import Requires, SessionDep
from ecredit.authz.principals import Principal, Scope
from ecredit.kit.paging import MAX_PAGE_SIZE, PageRequest
from ecredit.kit.schemas import PageOut

router = APIRouter(prefix="/detection-runs", tags=["detection runs"])
Read = Requires(Scope.ALERT_READ)
Review = Requires(Scope.ALERT_REVIEW)


@router.get("", response_model=PageOut[DetectionRunRead])
def list_runs(
    session: SessionDep,
    principal: Principal = Read,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> PageOut[DetectionRunRead]:
    """Detection runs newest first, each with its detectors' findings, seconds and alerts raised
    (403 for a platform's key: a run covers every platform's data)."""
    found = detection_runs.page(session, principal, PageRequest(page, size))
    items = [DetectionRunRead.model_validate(run) for run in found.items]
    return PageOut(items=items, total=found.total, page=found.page, size=found.size)


@router.get("/{run_id}", response_model=DetectionRunRead)
def get_run(run_id: int, session: SessionDep, principal: Principal = Read) -> DetectionRunRead:
    """One run with its steps; a failed run names the detector and the error."""
    return DetectionRunRead.model_validate(detection_runs.get(session, run_id, principal))


@router.post("", status_code=202, response_model=DetectionRunQueued)
def request_run(
    data: DetectionRunCreate, session: SessionDep, principal: Principal = Review
) -> DetectionRunQueued:
    """Queue a run of the chosen detectors (all when none) on the configured engine; the run
    appears in the list when the job starts it (409 while one runs or is queued)."""
    job = detection_runs.request(session, principal, data.detectors)
    return DetectionRunQueued(job_id=job.id, detectors=data.detectors)
