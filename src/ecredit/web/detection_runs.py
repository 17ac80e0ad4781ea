"""Staff page of detection runs: when each ran, on which engine, who started it, how it ended,
each detector's findings and seconds, and the alerts it raised; and a button that queues a run
of every detector now (the job `alert.detect`, as the API does)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.requests import Request

from ecredit.alert.run_schemas import DetectionRunRead
from ecredit.alert.runs import detection_runs
from ecredit.authz.principals import Principal, Scope
from ecredit.kit.errors import AppError, Forbidden
from ecredit.kit.paging import PageRequest
from ecredit.web import csrf
from ecredit.web.auth import StaffDep, require_scope
from ecredit.web.render import PortalError, render
from ecredit.web.staff import staff_work

PAGE_SIZE = 30
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


@router.get("/staff/detection-runs", response_class=HTMLResponse)
def run_list(
    request: Request, principal: StaffDep, page: int = 1, queued: int | None = None
) -> Response:
    require_scope(principal, Scope.ALERT_REVIEW)
    return _page(request, principal, max(1, page), {"queued": queued})


@router.post("/staff/detection-runs", response_class=HTMLResponse)
def request_run(request: Request, principal: StaffDep) -> Response:
    """Queue a run of every detector; a refusal (one runs or is queued) is shown on the page."""
    require_scope(principal, Scope.ALERT_REVIEW)
    try:
        with staff_work(request, principal) as session:
            job_id = detection_runs.request(session, principal, []).id
    except Forbidden as exc:
        raise PortalError(403, exc.message) from exc
    except AppError as exc:
        return _page(request, principal, 1, {"refusal": exc.message}, exc.status_code)
    return RedirectResponse(f"/staff/detection-runs?queued={job_id}", status_code=303)


def _page(
    request: Request, principal: Principal, page: int, extra: dict[str, Any], code: int = 200
) -> Response:
    try:
        with staff_work(request, principal) as session:
            found = detection_runs.page(session, principal, PageRequest(page, PAGE_SIZE))
            runs = [DetectionRunRead.model_validate(run) for run in found.items]
    except Forbidden as exc:
        raise PortalError(403, exc.message) from exc
    context = {
        "runs": runs, "total": found.total, "page": found.page,
        "pages": max(1, -(-found.total // PAGE_SIZE)), **extra,
    }  # fmt: skip
    return render(request, "detection/runs.html", context, code)
