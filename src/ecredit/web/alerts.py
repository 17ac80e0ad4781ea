"""Staff page of detector alerts: open ones first, each with its evidence and the regulator's
two decisions — confirm (a credit record of the finding's type) or dismiss (with a reason).

A platform's users (alert:read) see the same list narrowed to the alerts about their own shops
(the service narrows it), without the decisions. The service decides (who may decide, the
transition table, a concurrent decision); its refusal is shown above the list — or above the
alert's own page when the form was sent from there — with its status, not a bare error page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.requests import Request

from ecredit.alert.evidence import subject_note, summarise
from ecredit.alert.schemas import AlertConfirm, AlertFilter
from ecredit.alert.service import alert_service
from ecredit.authz.principals import Principal, Scope
from ecredit.kit.errors import AppError, NotFound
from ecredit.kit.paging import PageRequest
from ecredit.models.alert import ALERT_TRANSITIONS, Alert, AlertStatus
from ecredit.models.subject import Subject
from ecredit.subject.views import public_name
from ecredit.web import csrf, services
from ecredit.web.alert_detail import detail_page, may_decide
from ecredit.web.auth import StaffDep, require_scope
from ecredit.web.credit import type_label
from ecredit.web.render import PortalError, render
from ecredit.web.staff import staff_work

PAGE_SIZE = 50
DETAIL = "detail"  # the `view` a decision form sends from the alert's own page
STATUSES = frozenset(s.value for s in AlertStatus)
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


@router.get("/staff/alerts", response_class=HTMLResponse)
def alert_list(
    request: Request, principal: StaffDep, status: str = "open", page: int = 1,
    done: int | None = None, moved: str = "",
) -> Response:  # fmt: skip
    require_scope(principal, Scope.ALERT_READ)
    notice = {"id": done, "status": moved} if done and moved in STATUSES else None
    return _page(request, principal, status, max(1, page), {"notice": notice})


def _page(
    request: Request, principal: Principal, status: str, page: int, extra: dict[str, Any],
    code: int = 200,
) -> Response:  # fmt: skip
    chosen = AlertStatus(status) if status in STATUSES else None
    with staff_work(request, principal) as session:
        found = alert_service.page(session, principal, PageRequest(page, PAGE_SIZE),
                                   AlertFilter(status=chosen))  # fmt: skip
        rows = [_row(session, alert) for alert in found.items]
        counts = {s.value: alert_service.page(session, principal, PageRequest(1, 1),
                                              AlertFilter(status=s)).total
                  for s in AlertStatus}  # fmt: skip
    context = {
        "rows": rows, "total": found.total, "page": found.page, "counts": counts,
        "pages": max(1, -(-found.total // PAGE_SIZE)), "status": chosen.value if chosen else "",
        "type_name": type_label(request), "may_decide": may_decide(principal), **extra,
    }  # fmt: skip
    return render(request, "alerts/queue.html", context, code)


def _name(session: Session, subject_id: int | None) -> str:
    """A natural person's name masked, as everywhere outside the personal-data view."""
    subject = session.get(Subject, subject_id) if subject_id is not None else None
    return public_name(subject) if subject is not None else ""


def _row(session: Session, alert: Alert) -> dict[str, Any]:
    return {
        "alert": alert,
        "platform_name": _name(session, alert.platform_id),
        "subject_name": _name(session, alert.subject_id),
        "subject_note": subject_note(alert),
        "summary": summarise(alert),
        "open": bool(ALERT_TRANSITIONS.allowed.get(alert.status)),
    }


@router.post("/staff/alerts/{alert_id}/confirm", response_class=HTMLResponse)
def confirm(
    request: Request, alert_id: int, principal: StaffDep,
    decision_no: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
    subject_id: Annotated[str, Form()] = "", view: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    require_scope(principal, Scope.ALERT_REVIEW)
    origin = _Origin(request, principal, alert_id, view == DETAIL)
    chosen = int(subject_id) if subject_id.isdigit() else None
    try:
        data = AlertConfirm(decision_no=decision_no.strip() or None, note=note.strip() or None,
                            subject_id=chosen)  # fmt: skip
    except ValidationError as exc:
        return origin.refused(str(exc.errors()[0]["msg"]), 422)
    records = services.records_service(request)
    return origin.decide(AlertStatus.CONFIRMED,
                         lambda session: alert_service.confirm(session, records, alert_id, data,
                                                               principal))  # fmt: skip


@router.post("/staff/alerts/{alert_id}/dismiss", response_class=HTMLResponse)
def dismiss(
    request: Request, alert_id: int, principal: StaffDep, reason: Annotated[str, Form()] = "",
    view: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    require_scope(principal, Scope.ALERT_REVIEW)
    origin = _Origin(request, principal, alert_id, view == DETAIL)
    if len(reason.strip()) < 2:
        return origin.refused("reason: required (at least 2 characters)", 422)
    return origin.decide(AlertStatus.DISMISSED,
                         lambda session: alert_service.dismiss(session, alert_id, reason.strip(),
                                                               principal))  # fmt: skip


@dataclass(frozen=True)
class _Origin:
    """Where a decision was sent from (the queue, or the alert's own page), which is where its
    outcome is shown."""

    request: Request
    principal: Principal
    alert_id: int
    from_detail: bool

    def decide(self, target: AlertStatus, action: Callable[[Session], object]) -> Response:
        try:
            with staff_work(self.request, self.principal) as session:
                action(session)
        except NotFound as exc:
            raise PortalError(404) from exc
        except AppError as exc:
            return self.refused(exc.message, exc.status_code)
        if self.from_detail:
            target_url = f"/staff/alerts/{self.alert_id}?moved={target.value}"
        else:
            target_url = f"/staff/alerts?status=open&done={self.alert_id}&moved={target.value}"
        return RedirectResponse(target_url, status_code=303)

    def refused(self, text: str, code: int) -> Response:
        error = {"error_id": self.alert_id, "error_text": text, "error_status": code}
        if self.from_detail:
            return detail_page(self.request, self.principal, self.alert_id, error, code)
        return _page(self.request, self.principal, "open", 1, error, code)
