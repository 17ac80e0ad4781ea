"""Staff pages: dashboard, pending verifications with decisions, a subject's internal page.

Every page needs a login (StaffDep) and checks the scope of what it shows or changes; each
write runs in one unit of work whose session names the user as the actor of its changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.requests import Request

from ecredit.audit.context import bind_session
from ecredit.audit.service import audit_service
from ecredit.authz.principals import Principal, Scope
from ecredit.kit.db import Database
from ecredit.kit.errors import AppError, InvalidInput, NotFound
from ecredit.kit.paging import PageRequest
from ecredit.models.audit import ChangeRecord
from ecredit.models.subject import VerificationMethod, VerificationStatus
from ecredit.subject import views, workflow
from ecredit.subject.service import subject_service
from ecredit.web import csrf
from ecredit.web.auth import StaffDep, require_scope
from ecredit.web.credit import internal_credit
from ecredit.web.render import PortalError, render
from ecredit.web.standing import staff_standing

PENDING_PAGE = PageRequest(page=1, size=100)
DECISIONS = {"verified": VerificationStatus.VERIFIED, "rejected": VerificationStatus.REJECTED}
NOTICES = {
    "registered": "staff.registered",
    "submitted": "staff.submitted",
    "recorded": "staff.recorded",
    "signed": "staff.signed",
    "breached": "staff.breached",
    "evaluated": "staff.evaluated",
}
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


@contextmanager
def staff_work(request: Request, principal: Principal) -> Iterator[Session]:
    """One transaction acting as the logged-in user, tied to this request's id."""
    database: Database = request.app.state.db
    with database.unit_of_work() as session:
        bind_session(session, principal.actor, getattr(request.state, "request_id", None))
        yield session


@router.get("/staff", response_class=HTMLResponse)
def dashboard(request: Request, principal: StaffDep) -> Response:
    require_scope(principal, Scope.SUBJECT_READ)
    with staff_work(request, principal) as session:
        counts = {
            status.value: subject_service.page(session, PageRequest(1, 1), status=status).total
            for status in VerificationStatus
        }
    return render(
        request, "staff/dashboard.html", {"counts": counts, "total": sum(counts.values())}
    )


@router.get("/staff/verifications", response_class=HTMLResponse)
def verifications(
    request: Request, principal: StaffDep, done: int | None = None, decision: str = ""
) -> Response:
    require_scope(principal, Scope.SUBJECT_VERIFY)
    notice = {"id": done, "status": decision} if done and decision in DECISIONS else None
    return _verifications_page(request, principal, {"notice": notice})


def _verifications_page(
    request: Request, principal: Principal, extra: dict[str, Any], status: int = 200
) -> Response:
    vault = request.app.state.vault
    with staff_work(request, principal) as session:
        pending = subject_service.page(session, PENDING_PAGE, status=VerificationStatus.PENDING)
        rows = []
        for subject in pending.items:
            events = subject_service.verification_events(session, subject.id)
            rows.append({"subject": views.internal_view(session, vault, subject),
                         "request": events[-1] if events else None})  # fmt: skip
    context = {"rows": rows, "total": pending.total, **extra}
    return render(request, "staff/verifications.html", context, status)


@router.post("/staff/verifications/{subject_id}/decision", response_class=HTMLResponse)
def decide(
    request: Request,
    subject_id: int,
    principal: StaffDep,
    decision: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    require_scope(principal, Scope.SUBJECT_VERIFY)
    if decision not in DECISIONS:
        raise PortalError(422, f"decision: must be one of {', '.join(DECISIONS)}")
    try:
        with staff_work(request, principal) as session:
            subject = subject_service.get(session, subject_id)
            workflow.decide(
                session, subject, DECISIONS[decision], principal, reason.strip() or None
            )
    except NotFound as exc:
        raise PortalError(404) from exc
    except AppError as exc:
        error = {"error_id": subject_id, "error_text": exc.message}
        return _verifications_page(request, principal, error, exc.status_code)
    target = f"/staff/verifications?done={subject_id}&decision={decision}"
    return RedirectResponse(target, status_code=303)


@router.get("/staff/subjects/{subject_id}", response_class=HTMLResponse)
def subject_page(
    request: Request, subject_id: int, principal: StaffDep, notice: str | None = None
) -> Response:
    require_scope(principal, Scope.SUBJECT_READ)
    return subject_page_with(request, principal, subject_id, {"notice": NOTICES.get(notice or "")})


def subject_page_with(
    request: Request,
    principal: Principal,
    subject_id: int,
    extra: dict[str, Any],
    status: int = 200,
) -> Response:
    vault = request.app.state.vault
    try:
        with staff_work(request, principal) as session:
            subject = subject_service.get(session, subject_id)
            context: dict[str, Any] = {
                "subject": views.internal_view(session, vault, subject),
                "events": subject_service.verification_events(session, subject.id),
                "methods": [method.value for method in VerificationMethod],
                "may_submit": principal.has(Scope.SUBJECT_WRITE),
                "may_audit": principal.has(Scope.AUDIT_READ),
                "may_record": principal.has(Scope.RECORD_WRITE),
                "may_commit": principal.has(Scope.COMMITMENT_WRITE),
                "may_evaluate": principal.has(Scope.EVALUATION_RUN),
            }
            if principal.has(Scope.RECORD_READ):
                context["credit"] = internal_credit(request, session, subject.id)
                context["standing"] = staff_standing(request, session, subject.id)
            if context["may_audit"]:
                changes = audit_service.changes(session, "subject", subject.id)
                context["changes"] = [change_rows(change) for change in changes]
                context["timeline"] = audit_service.timeline(session, "subject", subject.id)
    except NotFound as exc:
        raise PortalError(404) from exc
    return render(request, "staff/subject.html", {**context, **extra}, status)


@router.post("/staff/subjects/{subject_id}/verification", response_class=HTMLResponse)
def submit_verification(
    request: Request,
    subject_id: int,
    principal: StaffDep,
    method: Annotated[str, Form()] = "",
    evidence_ref: Annotated[str, Form()] = "",
) -> Response:
    require_scope(principal, Scope.SUBJECT_WRITE)
    values = {"method": method, "evidence_ref": evidence_ref}
    try:
        chosen = VerificationMethod(method)
        if not evidence_ref.strip():
            raise InvalidInput("evidence_ref", "required", "evidence_ref: required")
        with staff_work(request, principal) as session:
            subject = subject_service.get(session, subject_id)
            workflow.submit(session, subject, chosen, evidence_ref.strip()[:300], principal)
    except ValueError:
        extra = {"errors": {"method": "method: choose a verification method"}, "values": values}
        return subject_page_with(request, principal, subject_id, extra, 422)
    except NotFound as exc:
        raise PortalError(404) from exc
    except AppError as exc:
        field = exc.problems[0].field if exc.problems else "method"
        extra = {"errors": {field: exc.message}, "values": values}
        return subject_page_with(request, principal, subject_id, extra, exc.status_code)
    return RedirectResponse(f"/staff/subjects/{subject_id}?notice=submitted", status_code=303)


def change_rows(change: ChangeRecord) -> dict[str, Any]:
    """A change record as table rows: one per field whose value changed."""
    before, after = change.before or {}, change.after or {}
    fields = [key for key in {**before, **after} if before.get(key) != after.get(key)]
    return {
        "at": change.at,
        "actor": change.actor,
        "action": change.action,
        "entity": change.entity,
        "fields": [(key, before.get(key), after.get(key)) for key in fields],
    }
