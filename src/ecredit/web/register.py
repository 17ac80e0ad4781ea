"""Registering a subject from the staff form; errors come back next to the field they name."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ecredit.audit.context import bind_session
from ecredit.authz.principals import Principal, Scope
from ecredit.kit.db import Database
from ecredit.kit.errors import AppError
from ecredit.models.subject import MerchantForm, SubjectKind
from ecredit.subject.schemas import SubjectCreate
from ecredit.subject.service import subject_service
from ecredit.web import csrf
from ecredit.web.auth import StaffDep, require_scope
from ecredit.web.render import render

FIELDS = (
    "kind", "merchant_form", "name", "uscc", "id_number", "phone",
    "legal_representative", "region_code", "address", "employer_id",
)  # fmt: skip
# Services phrase conflicts as "<field>: …"; that prefix tells the form where to show them.
FIELD_PREFIX = re.compile(r"^(\w+):")
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


def _form_page(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    context = {
        "values": values,
        "errors": errors,
        "kinds": [kind.value for kind in SubjectKind],
        "forms": [form.value for form in MerchantForm],
        "fields": FIELDS,
    }
    return render(request, "staff/register.html", context, status)


@router.get("/staff/subjects/new", response_class=HTMLResponse)
def register_form(request: Request, principal: StaffDep) -> Response:
    require_scope(principal, Scope.SUBJECT_WRITE)
    return _form_page(request, dict.fromkeys(FIELDS, ""), {})


@router.post("/staff/subjects/new", response_class=HTMLResponse)
async def register(request: Request, principal: StaffDep) -> Response:
    require_scope(principal, Scope.SUBJECT_WRITE)
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name in FIELDS}
    # The database work is blocking: keep it off the event loop.
    return await run_in_threadpool(_register, request, principal, values)


def _register(request: Request, principal: Principal, values: dict[str, str]) -> Response:
    try:
        data = SubjectCreate.model_validate({k: v for k, v in values.items() if v})
    except ValidationError as exc:
        return _form_page(request, values, pydantic_errors(exc), 422)
    database: Database = request.app.state.db
    try:
        # The service raises before anything is written, and the unit of work rolls back on
        # any error, so a refused registration leaves no row behind.
        with database.unit_of_work() as session:
            bind_session(session, principal.actor, getattr(request.state, "request_id", None))
            subject = subject_service.register(session, request.app.state.vault, data, principal)
            subject_id = subject.id
    except AppError as exc:
        return _form_page(request, values, app_errors(exc), exc.status_code)
    return RedirectResponse(f"/staff/subjects/{subject_id}?notice=registered", status_code=303)


def pydantic_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "name"
        errors.setdefault(field, f"{field}: {error['msg']}")
    return errors


def app_errors(exc: AppError) -> dict[str, Any]:
    if exc.problems:
        return {problem.field: problem.message for problem in exc.problems}
    match = FIELD_PREFIX.match(exc.message)
    field = match.group(1) if match and match.group(1) in FIELDS else "_form"
    return {field: exc.message}
