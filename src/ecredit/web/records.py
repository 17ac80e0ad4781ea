"""Staff entry of credit records and commitments: the record form, signing a commitment and
reporting its breach. Errors come back next to the field they name; nothing is stored then
(the unit of work rolls back on any error)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request

from ecredit.authz.principals import Principal, Scope
from ecredit.commitment.schemas import BreachCreate
from ecredit.kit.errors import AppError, InvalidInput, NotFound
from ecredit.models.record import PenaltyKind, Severity
from ecredit.record.schemas import RecordCreate
from ecredit.subject.service import subject_service
from ecredit.web import csrf
from ecredit.web.auth import StaffDep, require_scope
from ecredit.web.credit import commitments_of, records_of, type_label
from ecredit.web.render import PortalError, render
from ecredit.web.staff import staff_work, subject_page_with

FIELDS = (
    "subject_id", "type_code", "severity", "legal_basis", "decision_no", "decision_date",
    "penalty_kind", "amount", "summary", "evidence_refs", "valid_until",
)  # fmt: skip
FIELD_PREFIX = re.compile(r"^([\w.]+):")
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


def form_values(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    return {name: str(form.get(name) or "").strip() for name in names}


def lines(text: str) -> list[str]:
    """One evidence reference a line, blank lines dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def field_errors(exc: ValidationError | AppError, fallback: str) -> dict[str, str]:
    """Errors keyed by the field they name (the form shows each next to its field)."""
    if isinstance(exc, ValidationError):
        errors: dict[str, str] = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else fallback
            errors.setdefault(field, f"{field}: {error['msg']}")
        return errors
    if exc.problems:
        return {problem.field: problem.message for problem in exc.problems}
    match = FIELD_PREFIX.match(exc.message)
    return {match.group(1) if match else fallback: exc.message}


def _form_page(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    records = records_of(request)
    try:
        with request.app.state.db.unit_of_work() as session:
            subject = subject_service.get(session, int(values["subject_id"]))
            subject_name = subject.name
    except (NotFound, ValueError) as exc:
        raise PortalError(404) from exc
    context = {
        "values": values,
        "errors": errors,
        "subject_name": subject_name,
        "types": [spec.code for spec in records.catalog.all()],
        "type_name": type_label(request),
        "severities": [s.value for s in Severity],
        "penalty_kinds": [k.value for k in PenaltyKind],
    }
    return render(request, "staff/record_new.html", context, status)


@router.get("/staff/records/new", response_class=HTMLResponse)
def record_form(request: Request, principal: StaffDep, subject_id: str = "") -> Response:
    require_scope(principal, Scope.RECORD_WRITE)
    return _form_page(request, {**dict.fromkeys(FIELDS, ""), "subject_id": subject_id}, {})


@router.post("/staff/records/new", response_class=HTMLResponse)
async def record_submit(request: Request, principal: StaffDep) -> Response:
    require_scope(principal, Scope.RECORD_WRITE)
    values = form_values(await request.form(), FIELDS)
    return await run_in_threadpool(_submit_record, request, principal, values)


def _submit_record(request: Request, principal: Principal, values: dict[str, str]) -> Response:
    payload: dict[str, Any] = {k: v for k, v in values.items() if v and k != "evidence_refs"}
    payload["evidence_refs"] = lines(values["evidence_refs"])
    try:
        data = RecordCreate.model_validate(payload)
    except ValidationError as exc:
        return _form_page(request, values, field_errors(exc, "subject_id"), 422)
    try:
        with staff_work(request, principal) as session:
            records_of(request).submit(session, data, principal)
    except AppError as exc:
        return _form_page(request, values, field_errors(exc, "_form"), exc.status_code)
    target = f"/staff/subjects/{values['subject_id']}?notice=recorded"
    return RedirectResponse(target, status_code=303)


@router.post("/staff/subjects/{subject_id}/commitments", response_class=HTMLResponse)
async def sign_commitment(request: Request, subject_id: int, principal: StaffDep) -> Response:
    require_scope(principal, Scope.COMMITMENT_WRITE)
    form = await request.form()
    values = {key: str(value).strip() for key, value in form.items() if key != csrf.FIELD}
    return await run_in_threadpool(_sign, request, subject_id, principal, values)


def _sign(
    request: Request, subject_id: int, principal: Principal, values: dict[str, str]
) -> Response:
    service = commitments_of(request)
    try:
        spec = service.templates.get(values.get("template_code", ""))
        params = _params(values, {p.name: p.type for p in spec.parameters})
        start = _day(values.get("term_start", ""), "term_start")
        with staff_work(request, principal) as session:
            service.sign(session, subject_id, spec.code, params, start, principal)
    except NotFound as exc:
        if exc.message.startswith("template_code"):
            return _again(
                request, principal, subject_id, "c", values, {"template_code": exc.message}, 422
            )
        raise PortalError(404) from exc
    except AppError as exc:
        errors = field_errors(exc, "_form")
        return _again(request, principal, subject_id, "c", values, errors, exc.status_code)
    return RedirectResponse(f"/staff/subjects/{subject_id}?notice=signed", status_code=303)


def _params(values: dict[str, str], types: dict[str, str]) -> dict[str, object]:
    """The chosen template's parameters from `param_<name>` inputs; blank ones take defaults."""
    params: dict[str, object] = {}
    for name, kind in types.items():
        text = values.get(f"param_{name}", "")
        if text:
            params[name] = int(text) if kind == "int" and re.fullmatch(r"-?\d{1,9}", text) else text
    return params


def _day(text: str, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(field, "date", f"{field}: not a date (YYYY-MM-DD)") from exc


@router.post("/staff/commitments/{commitment_id}/breach", response_class=HTMLResponse)
async def report_breach(request: Request, commitment_id: int, principal: StaffDep) -> Response:
    require_scope(principal, Scope.RECORD_WRITE)
    values = form_values(await request.form(), ("summary", "evidence_refs", "decision_no"))
    return await run_in_threadpool(_breach, request, commitment_id, principal, values)


def _breach(
    request: Request, commitment_id: int, principal: Principal, values: dict[str, str]
) -> Response:
    service = commitments_of(request)
    with staff_work(request, principal) as session:
        try:
            subject_id = service.get(session, commitment_id).subject_id
        except NotFound as exc:
            raise PortalError(404) from exc
    payload = {"summary": values["summary"], "evidence_refs": lines(values["evidence_refs"]),
               "decision_no": values["decision_no"] or None}  # fmt: skip
    try:
        data = BreachCreate.model_validate(payload)
        with staff_work(request, principal) as session:
            service.breach(session, commitment_id, data, principal)
    except (ValidationError, AppError) as exc:
        status = 422 if isinstance(exc, ValidationError) else exc.status_code
        values["commitment_id"] = str(commitment_id)
        return _again(
            request, principal, subject_id, "b", values, field_errors(exc, "_form"), status
        )
    return RedirectResponse(f"/staff/subjects/{subject_id}?notice=breached", status_code=303)


def _again(
    request: Request,
    principal: Principal,
    subject_id: int,
    form: str,
    values: dict[str, str],
    errors: dict[str, str],
    status: int,
) -> Response:
    """The subject page again, with the failed form's values and errors (`c` sign, `b` breach)."""
    extra = {f"{form}_values": values, f"{form}_errors": errors}
    return subject_page_with(request, principal, subject_id, extra, status)
