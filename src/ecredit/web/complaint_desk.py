"""Staff complaint workbench: complaints and reports by urgency, one move per row, and bulk
moves over the ticked rows, each in its own transaction and reported row by row.

The complaint service decides what may happen (`ComplaintService.transition`, `mark_notified`);
the page colours each row by its nearest deadline in Chinese working days (`web.urgency`).
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
from ecredit.complaint import views
from ecredit.complaint.deadlines import open_steps
from ecredit.complaint.deps import get_complaints
from ecredit.complaint.schemas import ComplaintTransition, NotificationCreate
from ecredit.complaint.service import ComplaintService
from ecredit.kit.clock import WorkCalendar
from ecredit.kit.errors import AppError, Forbidden, NotFound
from ecredit.models.complaint import CLOSED, TRANSITIONS, Complaint, ComplaintKind, ComplaintStatus
from ecredit.parameters.service import parameter_service
from ecredit.subject.service import subject_service
from ecredit.web import csrf
from ecredit.web.auth import StaffDep, require_scope
from ecredit.web.render import PortalError, render
from ecredit.web.staff import staff_work
from ecredit.web.urgency import Deadline, deadline, most_urgent

OPEN, NOTIFIED = "open", "notified"
OPEN_STATUSES = tuple(s for s in ComplaintStatus if s not in CLOSED)
VIEWS = {OPEN: OPEN_STATUSES, **{s.value: (s,) for s in ComplaintStatus}}
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


@router.get("/staff/complaints", response_class=HTMLResponse)
def workbench(
    request: Request, principal: StaffDep, status: str = OPEN, kind: str = "",
    overdue: str = "",
) -> Response:  # fmt: skip
    require_scope(principal, Scope.COMPLAINT_HANDLE)
    return _page(request, principal, status, kind, overdue == "1", {})


def _page(
    request: Request, principal: Principal, status: str, kind: str, overdue: bool,
    extra: dict[str, Any], code: int = 200,
) -> Response:  # fmt: skip
    complaints = get_complaints(request)
    today = complaints.today()
    kinds = {k.value: k for k in ComplaintKind}
    with staff_work(request, principal) as session:
        calendar = parameter_service.work_calendar(session)
        found = complaints.queue(session, principal, VIEWS.get(status, OPEN_STATUSES),
                                 kinds.get(kind), True if overdue else None)  # fmt: skip
        rows = [_row(session, item, calendar, today) for item in found]
    context = {
        "rows": rows, "status": status if status in VIEWS else OPEN, "kind": kind,
        "overdue": overdue, "views": list(VIEWS), "today": today,
        "bulk_actions": [ComplaintStatus.DEPARTMENT.value, ComplaintStatus.MEDIATION.value,
                         ComplaintStatus.REFUSED.value, NOTIFIED],
        **extra,
    }  # fmt: skip
    return render(request, "complaints/workbench.html", context, code)


def _row(session: Session, item: Complaint, calendar: WorkCalendar, today: date) -> dict[str, Any]:
    found: list[Deadline | None] = [
        deadline(calendar, step.value, due, today) for step, due in open_steps(item)
    ]
    deadlines = [d for d in found if d is not None]
    return {
        "item": item,
        "respondent": subject_service.get(session, item.respondent_subject_id).name,
        "deadlines": deadlines,
        "urgency": most_urgent(deadlines),
        "moves": sorted(s.value for s in TRANSITIONS[item.kind].allowed.get(item.status, ())),
    }


@router.post("/staff/complaints/{number}/move", response_class=HTMLResponse)
def move(
    request: Request, number: str, principal: StaffDep,
    status: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
    severity: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    require_scope(principal, Scope.COMPLAINT_HANDLE)
    error = _apply(request, principal, get_complaints(request), number, status, reason, severity)
    if error is not None:
        code, text = error
        return _page(request, principal, OPEN, "", False, {"results": [(number, text)]}, code)
    return RedirectResponse(f"/staff/complaints?done={number}", status_code=303)


@router.post("/staff/complaints/bulk", response_class=HTMLResponse)
async def bulk(request: Request, principal: StaffDep) -> Response:
    """The same move for every ticked row; each alone, so one refusal stops no other."""
    require_scope(principal, Scope.COMPLAINT_HANDLE)
    form = await request.form()
    numbers = [str(n) for n in form.getlist("numbers")][:200]
    action, reason = str(form.get("action") or ""), str(form.get("reason") or "").strip()
    complaints = get_complaints(request)
    results = []
    for number in numbers:
        error = _apply(request, principal, complaints, number, action, reason, "")
        results.append((number, None if error is None else error[1]))
    return _page(request, principal, OPEN, "", False, {"results": results, "bulk": True})


def _apply(
    request: Request, principal: Principal, complaints: ComplaintService, number: str,
    action: str, reason: str, severity: str,
) -> tuple[int, str] | None:  # fmt: skip
    """Take one step in its own transaction: None when done, else (status, why not)."""
    try:
        with staff_work(request, principal) as session:
            if action == NOTIFIED:
                told = NotificationCreate(channel=reason or "电话")
                complaints.mark_notified(session, number, told, principal)
            else:
                payload = {"status": action, "reason": reason, "severity": severity or None}
                data = ComplaintTransition.model_validate(payload)
                complaints.transition(session, number, data, principal)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "status"
        return 422, f"{where}: {problem['msg']}"
    except AppError as exc:
        return exc.status_code, exc.message
    return None


@router.get("/staff/complaints/{number}", response_class=HTMLResponse)
def detail(request: Request, number: str, principal: StaffDep) -> Response:
    """One complaint: masked contact, deadlines, timeline and the payouts made for it."""
    require_scope(principal, Scope.COMPLAINT_HANDLE)
    return _detail(request, principal, number, reveal=False)


@router.post("/staff/complaints/{number}/contact", response_class=HTMLResponse)
def reveal_contact(request: Request, number: str, principal: StaffDep) -> Response:
    """The unmasked contact, for a handler who must call back (`personal:read`; logged)."""
    require_scope(principal, Scope.PERSONAL_READ)
    return _detail(request, principal, number, reveal=True)


def _detail(request: Request, principal: Principal, number: str, reveal: bool) -> Response:
    complaints, vault = get_complaints(request), request.app.state.vault
    try:
        with staff_work(request, principal) as session:
            item = complaints.read(session, number, principal)
            shown = views.detail(session, vault, item, complaints.today())
            contact = complaints.contact(session, vault, number, principal) if reveal else None
    except NotFound as exc:
        raise PortalError(404) from exc
    except Forbidden as exc:
        raise PortalError(403) from exc
    context = {"c": shown, "contact": contact,
               "may_reveal": principal.has(Scope.PERSONAL_READ)}  # fmt: skip
    return render(request, "complaints/detail.html", context)
