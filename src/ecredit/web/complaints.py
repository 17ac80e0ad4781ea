"""Public complaint and report forms (投诉 / 网络失信举报) and the tracking page by number.

The complaint service does the work (`ComplaintService.file_complaint` / `file_report`); the
page names every error at its field in the reader's language, and once filed shows the tracking
number and its deadlines. The tracking page shows status, deadlines and the dates of each step,
never the filer's contact.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ecredit.complaint import views
from ecredit.complaint.deps import get_complaints
from ecredit.complaint.schemas import ComplaintCreate, ReportCreate
from ecredit.complaint.tracking import normalise
from ecredit.kit.db import Database
from ecredit.kit.errors import AppError, NotFound
from ecredit.models.complaint import ComplaintCategory, ComplaintKind
from ecredit.subject import views as subject_views
from ecredit.subject.service import subject_service
from ecredit.web import csrf
from ecredit.web.records import lines
from ecredit.web.render import render

TEXTS = ("category", "order_ref", "waybill_ref", "description", "name", "phone", "address")
IDS = ("respondent_subject_id", "platform_subject_id")
FIELDS = (*IDS, *TEXTS, "amount", "attachment_refs", "anonymous")
PATHS = {ComplaintKind.COMPLAINT: "/complaints/new", ComplaintKind.REPORT: "/reports/new"}
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


def _page(
    request: Request, kind: ComplaintKind, values: dict[str, str],
    errors: dict[str, str] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    """The form, with the respondent (masked where a person) and the platforms it trades on."""
    database: Database = request.app.state.db
    respondent, platforms = None, []
    number = values.get("respondent_subject_id", "")
    if number.isdigit() and len(number) < 12:
        with database.unit_of_work() as session:
            try:
                subject = subject_service.get(session, int(number))
            except NotFound:
                subject = None
            if subject is not None:
                respondent = subject_views.public_view(session, request.app.state.vault, subject)
                found = get_complaints(request).platforms_for(session, subject.id)
                platforms = [(p.id, p.name) for p in found]
    context = {
        "kind": kind.value, "action": PATHS[kind], "values": values, "errors": errors or {},
        "respondent": respondent, "platforms": platforms,
        "categories": [c.value for c in ComplaintCategory],
    }  # fmt: skip
    return render(request, "complaints/file.html", context, status)


def _blank(respondent: str) -> dict[str, str]:
    return dict.fromkeys(FIELDS, "") | {"respondent_subject_id": respondent}


@router.get("/complaints/new", response_class=HTMLResponse)
def complaint_form(request: Request, respondent: str = "") -> Response:
    return _page(request, ComplaintKind.COMPLAINT, _blank(respondent))


@router.get("/reports/new", response_class=HTMLResponse)
def report_form(request: Request, respondent: str = "") -> Response:
    return _page(request, ComplaintKind.REPORT, _blank(respondent))


@router.post("/complaints/new", response_class=HTMLResponse)
async def file_complaint(request: Request) -> Response:
    values = await _values(request)
    return await run_in_threadpool(_file, request, ComplaintKind.COMPLAINT, values)


@router.post("/reports/new", response_class=HTMLResponse)
async def file_report(request: Request) -> Response:
    values = await _values(request)
    return await run_in_threadpool(_file, request, ComplaintKind.REPORT, values)


async def _values(request: Request) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name) or "").strip() for name in FIELDS}


def _file(request: Request, kind: ComplaintKind, values: dict[str, str]) -> Response:
    database: Database = request.app.state.db
    complaints = get_complaints(request)
    try:
        with database.unit_of_work() as session:
            vault = request.app.state.vault
            if kind is ComplaintKind.COMPLAINT:
                data = ComplaintCreate.model_validate(_payload(values, kind))
                filed = complaints.file_complaint(session, vault, data)
            else:
                report = ReportCreate.model_validate(_payload(values, kind))
                filed = complaints.file_report(session, vault, report)
            receipt = views.receipt(filed, complaints.today())
    except ValidationError as exc:
        return _page(request, kind, values, field_errors(exc), 422)
    except AppError as exc:  # a rule about a field: that field's message; else the reason
        field = exc.problems[0].field if exc.problems else "_form"
        errors = {field: f"cpf.err.{field}"} if field in FIELDS else {"_form": exc.message}
        return _page(request, kind, values, errors, exc.status_code)
    return render(request, "complaints/receipt.html", {"receipt": receipt}, 201)


def _payload(values: dict[str, str], kind: ComplaintKind) -> dict[str, Any]:
    """Form text as the schema wants it: empty is absent, numbers where numbers go."""
    payload: dict[str, Any] = {name: values[name] or None for name in TEXTS}
    for name in IDS:
        number = values[name]
        payload[name] = int(number) if number.isdigit() and len(number) < 12 else number or None
    payload["attachment_refs"] = lines(values["attachment_refs"])
    if kind is ComplaintKind.COMPLAINT:
        payload["amount"] = values["amount"] or None
    else:
        payload["anonymous"] = values["anonymous"] == "1"
    return payload


# Model-level rules name their field at the start of the message.
RULE_FIELDS = {"order_ref": "order_ref", "name and phone": "phone", "anonymous": "anonymous"}


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Each problem at its form field, as a message id the page translates (`cpf.err.<field>`),
    the model-level rules by the field their message names."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        if name not in FIELDS:
            message = error["msg"].removeprefix("Value error, ")
            name = next((f for p, f in RULE_FIELDS.items() if message.startswith(p)), "_form")
        errors.setdefault(name, f"cpf.err.{name}")
    return errors


@router.get("/track", response_class=HTMLResponse)
def track_form(request: Request, no: str = "") -> Response:
    """The tracking window; a typed number goes to its page."""
    if no:
        number = normalise(no)
        if number is not None:
            return RedirectResponse(f"/track/{number}", status_code=303)
        return render(request, "complaints/track.html", {"number": no, "missing": True}, 404)
    return render(request, "complaints/track.html", {"number": ""})


@router.get("/track/{number}", response_class=HTMLResponse)
def track(request: Request, number: str) -> Response:
    database: Database = request.app.state.db
    complaints = get_complaints(request)
    canonical = normalise(number)
    try:
        if canonical is None:
            raise NotFound(number)
        with database.unit_of_work() as session:
            complaint = complaints.get(session, canonical)
            tracked = views.tracking(session, complaint, complaints.today())
    except NotFound:
        return render(request, "complaints/track.html", {"number": number, "missing": True}, 404)
    return render(request, "complaints/track.html", {"number": canonical, "tracked": tracked})
