"""Staff queue of objections and credit repairs: acknowledge, grant or refuse with the reason.

The repair service decides (`RepairService.acknowledge` / `decide`): an upheld objection corrects
the record (the corrected facts) or revokes it (`revoke`), per `CaseDecision`; a granted repair
hides the record or removes the list entry. Deadlines (acknowledge, decide, list removal) are
coloured by urgency against the portal's today, in working days.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.requests import Request

from ecredit.authz.principals import Principal, Scope
from ecredit.kit.clock import WorkCalendar
from ecredit.kit.errors import AppError, NotFound
from ecredit.listing.service import ListingService
from ecredit.models.repair import CaseKind, CaseStatus, RepairCase
from ecredit.parameters.service import parameter_service
from ecredit.repair import views
from ecredit.repair.schemas import CaseDecision, CaseRead
from ecredit.subject.service import subject_service
from ecredit.web import csrf, services
from ecredit.web.auth import StaffDep, require_scope
from ecredit.web.render import PortalError, render
from ecredit.web.staff import staff_work
from ecredit.web.standing import kind_label
from ecredit.web.urgency import Deadline, deadline, most_urgent

STATUSES = {s.value: s for s in CaseStatus}
KINDS = {k.value: k for k in CaseKind}
OPEN = "open"  # the default view: cases still waiting for a step
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


@router.get("/staff/cases", response_class=HTMLResponse)
def case_queue(
    request: Request, principal: StaffDep, status: str = OPEN, kind: str = "",
    overdue: str = "", done: int | None = None, step: str = "",
) -> Response:  # fmt: skip
    require_scope(principal, Scope.REPAIR_DECIDE)
    notice = {"id": done, "step": step} if done and step in STATUSES else None
    return _queue(request, principal, status, kind, overdue == "1", {"notice": notice})


def _queue(
    request: Request, principal: Principal, status: str, kind: str, overdue: bool,
    extra: dict[str, Any], code: int = 200,
) -> Response:  # fmt: skip
    repairs, today = services.repairs(request), services.today(request)
    with staff_work(request, principal) as session:
        calendar = parameter_service.work_calendar(session)
        cases = repairs.queue(session, today, STATUSES.get(status), KINDS.get(kind),
                              True if overdue else None)  # fmt: skip
        if status == OPEN:
            cases = [c for c in cases if c.status in (CaseStatus.FILED, CaseStatus.ACKNOWLEDGED)]
        lists = services.listing(request)
        rows = [_row(session, case, calendar, today, lists) for case in cases]
    context = {
        "rows": rows, "status": status if status in STATUSES else OPEN, "kind": kind,
        "overdue": overdue, "statuses": [OPEN, *STATUSES], "today": today,
        "kind_name": kind_label(request, services.listing(request).kinds), **extra,
    }  # fmt: skip
    return render(request, "staff/cases.html", context, code)


def _row(
    session: Session, case: RepairCase, calendar: WorkCalendar, today: date, lists: ListingService
) -> dict[str, Any]:
    read: CaseRead = views.case_read(session, case, today)
    found = _deadlines(read, calendar, today)
    entry = lists.get(session, case.list_entry_id) if case.list_entry_id is not None else None
    return {
        "case": read,
        "subject_name": subject_service.get(session, case.subject_id).name,
        "entry_kind": entry.list_kind if entry is not None else None,
        "deadlines": found,
        "urgency": most_urgent(found),
    }


def _deadlines(read: CaseRead, calendar: WorkCalendar, today: date) -> list[Deadline]:
    found: list[Deadline | None] = []
    if read.status is CaseStatus.FILED:
        found.append(deadline(calendar, "acknowledge", read.acknowledge_due, today))
    if read.status in (CaseStatus.FILED, CaseStatus.ACKNOWLEDGED):
        found.append(deadline(calendar, "decision", read.decision_due, today))
    if read.status is CaseStatus.GRANTED and read.removal_met is False:
        found.append(deadline(calendar, "removal", read.removal_due, today))
    return [item for item in found if item is not None]


@router.post("/staff/cases/{case_id}/acknowledge", response_class=HTMLResponse)
def acknowledge(request: Request, case_id: int, principal: StaffDep) -> Response:
    require_scope(principal, Scope.REPAIR_DECIDE)
    return _act(request, principal, case_id, "acknowledged", None)


@router.post("/staff/cases/{case_id}/decision", response_class=HTMLResponse)
def decide(
    request: Request,
    case_id: int,
    principal: StaffDep,
    decision: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
    summary: Annotated[str, Form()] = "",
    amount: Annotated[str, Form()] = "",
) -> Response:
    require_scope(principal, Scope.REPAIR_DECIDE)
    payload: dict[str, Any] = {"decision": decision, "reason": reason.strip()}
    if decision == "granted" and outcome == "revoke":
        payload["revoke"] = True
    elif decision == "granted" and outcome == "correct":
        correction = {"reason": reason.strip(), "summary": summary.strip() or None,
                      "amount": amount.strip() or None}  # fmt: skip
        payload["correction"] = {k: v for k, v in correction.items() if v is not None}
    try:
        data = CaseDecision.model_validate(payload)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "decision"
        text = f"{where}: {problem['msg'].removeprefix('Value error, ')}"
        return _queue(request, principal, OPEN, "", False,
                      {"error_id": case_id, "error_text": text}, 422)  # fmt: skip
    return _act(request, principal, case_id, decision, data)


def _act(
    request: Request, principal: Principal, case_id: int, step: str, data: CaseDecision | None
) -> Response:
    repairs = services.repairs(request)
    try:
        with staff_work(request, principal) as session:
            if data is None:
                repairs.acknowledge(session, case_id, principal)
            else:
                repairs.decide(session, case_id, data, principal)
    except NotFound as exc:
        if exc.message.startswith("repair case"):
            raise PortalError(404) from exc
        error = {"error_id": case_id, "error_text": exc.message}
        return _queue(request, principal, OPEN, "", False, error, exc.status_code)
    except AppError as exc:
        error = {"error_id": case_id, "error_text": exc.message}
        return _queue(request, principal, OPEN, "", False, error, exc.status_code)
    return RedirectResponse(f"/staff/cases?done={case_id}&step={step}", status_code=303)
