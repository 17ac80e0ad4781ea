"""Staff queue of list entries: proposals and entries by status, the moves the listing workflow
allows from each, with a reason; deadlines coloured by urgency.

The buttons offered are `LIST_TRANSITIONS` from the entry's status; the service decides the rest
(guards, who may decide, a concurrent change) and its refusal is shown above the queue with its
status (409 for a conflict) instead of a bare error page.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.requests import Request

from ecredit.authz.principals import Principal, Scope
from ecredit.kit.clock import WorkCalendar
from ecredit.kit.errors import AppError, NotFound
from ecredit.kit.paging import PageRequest
from ecredit.listing import views
from ecredit.models.listing import LIST_TRANSITIONS, ListEntry, ListStatus
from ecredit.parameters.service import parameter_service
from ecredit.subject.service import subject_service
from ecredit.web import csrf, services
from ecredit.web.auth import StaffDep, require_scope
from ecredit.web.render import PortalError, render
from ecredit.web.staff import staff_work
from ecredit.web.standing import kind_label
from ecredit.web.urgency import deadline, most_urgent

PAGE_SIZE = 50
ORDER = tuple(ListStatus)
STATUSES = frozenset(s.value for s in ListStatus)
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


@router.get("/staff/lists", response_class=HTMLResponse)
def list_queue(
    request: Request, principal: StaffDep, status: str = "proposed", kind: str = "",
    page: int = 1, done: int | None = None, moved: str = "",
) -> Response:  # fmt: skip
    require_scope(principal, Scope.LIST_DECIDE)
    notice = {"id": done, "status": moved} if done and moved in STATUSES else None
    return _queue(request, principal, status, kind, max(1, page), {"notice": notice})


def _queue(
    request: Request, principal: Principal, status: str, kind: str, page: int,
    extra: dict[str, Any], code: int = 200,
) -> Response:  # fmt: skip
    listing, today = services.listing(request), services.today(request)
    chosen = ListStatus(status) if status in STATUSES else None
    with staff_work(request, principal) as session:
        if kind and listing.kinds.get(kind) is None:
            kind = ""
        found = listing.queue(session, PageRequest(page, PAGE_SIZE), chosen, kind or None)
        calendar = parameter_service.work_calendar(session)
        rows = [_row(session, entry, calendar, today) for entry in found.items]
        counts = {s.value: listing.queue(session, PageRequest(1, 1), s, kind or None).total
                  for s in ORDER}  # fmt: skip
    context = {
        "rows": rows, "total": found.total, "page": found.page,
        "pages": max(1, -(-found.total // PAGE_SIZE)), "status": chosen.value if chosen else "",
        "kind": kind, "kinds": listing.kinds.all(), "counts": counts,
        "kind_name": kind_label(request, listing.kinds), "today": today, **extra,
    }  # fmt: skip
    return render(request, "staff/lists.html", context, code)


def _row(session: Session, entry: ListEntry, calendar: WorkCalendar, today: date) -> dict[str, Any]:
    subject = subject_service.get(session, entry.subject_id)
    deadlines = [
        deadline(calendar, "publicity", entry.publicity_until, today)
        if entry.status is ListStatus.PUBLICISED else None,
        deadline(calendar, "validity", entry.valid_until, today)
        if entry.status is ListStatus.EFFECTIVE else None,
    ]  # fmt: skip
    return {
        "entry": views.entry_read(entry),
        "subject_name": subject.name,
        "deadlines": [item for item in deadlines if item is not None],
        "urgency": most_urgent(deadlines),
        "targets": sorted(LIST_TRANSITIONS.allowed.get(entry.status, ()), key=ORDER.index),
    }


@router.post("/staff/lists/{entry_id}/transition", response_class=HTMLResponse)
def move_entry(
    request: Request,
    entry_id: int,
    principal: StaffDep,
    status: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    queue: Annotated[str, Form()] = "",
) -> Response:
    require_scope(principal, Scope.LIST_DECIDE)
    back = queue if queue in STATUSES or queue == "" else ""
    if status not in STATUSES:
        error = {"error_id": entry_id, "error_text": f"status: unknown status '{status}'"}
        return _queue(request, principal, back, "", 1, error, 422)
    try:
        with staff_work(request, principal) as session:
            services.listing(request).transition(
                session, entry_id, ListStatus(status), reason.strip() or None, principal,
                int(version) if version.isdigit() else None,
            )  # fmt: skip
    except NotFound as exc:
        raise PortalError(404) from exc
    except AppError as exc:
        error = {"error_id": entry_id, "error_text": exc.message, "error_status": exc.status_code}
        return _queue(request, principal, back, "", 1, error, exc.status_code)
    target = f"/staff/lists?status={back}&done={entry_id}&moved={status}"
    return RedirectResponse(target, status_code=303)
