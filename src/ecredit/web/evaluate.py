"""Staff re-evaluate a subject on demand (scope evaluation:run): a new snapshot, grade upserted."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.requests import Request

from ecredit.authz.principals import Scope
from ecredit.kit.errors import AppError, NotFound
from ecredit.web import csrf, services
from ecredit.web.auth import StaffDep, require_scope
from ecredit.web.render import PortalError
from ecredit.web.staff import staff_work, subject_page_with

router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


@router.post("/staff/subjects/{subject_id}/evaluation", response_class=HTMLResponse)
def re_evaluate(request: Request, subject_id: int, principal: StaffDep) -> Response:
    require_scope(principal, Scope.EVALUATION_RUN)
    try:
        with staff_work(request, principal) as session:
            services.scoring(request).evaluate_subject(session, subject_id)
    except NotFound as exc:
        raise PortalError(404) from exc
    except AppError as exc:  # e.g. thresholds that no longer fall from A to C
        extra = {"errors": {"_evaluation": exc.message}}
        return subject_page_with(request, principal, subject_id, extra, exc.status_code)
    return RedirectResponse(f"/staff/subjects/{subject_id}?notice=evaluated", status_code=303)
