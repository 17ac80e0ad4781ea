"""The subject files an objection (异议) or a credit-repair application (信用修复) for itself.

The repair domain's public filing does the work (`RepairService.file_public`): proof of identity
by the full code (an organisation's USCC, a natural person's ID number), a refusal stores
nothing, repeated wrong proofs are throttled (429, `ecredit.throttle`). The page names every
error at its field and, once filed, shows the case number and its deadlines.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ecredit.kit.db import Database
from ecredit.kit.errors import AppError, Forbidden, NotFound, TooManyAttempts
from ecredit.record import views as record_views
from ecredit.repair import identity
from ecredit.repair.schemas import PublicCaseCreate
from ecredit.subject import views
from ecredit.subject.service import identifies_by_person, subject_service
from ecredit.throttle.deps import guarded
from ecredit.web import csrf, services
from ecredit.web.credit import type_label
from ecredit.web.records import lines
from ecredit.web.render import PortalError, render
from ecredit.web.standing import kind_label
from ecredit.web.throttled import is_by_address, throttle_values

FIELDS = ("kind", "target", "identifier", "contact_name", "contact_phone", "grounds",
          "evidence_refs")  # fmt: skip
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


def _targets(request: Request, session: Session, subject_id: int) -> dict[str, Any]:
    """What may be contested: the records on public display and the shown list entries."""
    records = services.records_service(request)
    states = records.file(session, subject_id)
    file = record_views.public_file(session, records.catalog, subject_id, states, records.today())
    entries = services.listing(request).shown_of_subject(session, subject_id)
    return {
        "records": [r for group in file.groups for r in group.records],
        "entries": entries,
        "type_name": type_label(request),
        "kind_name": kind_label(request, services.listing(request).kinds),
    }


def _page(
    request: Request, subject_id: int, values: dict[str, str], extra: dict[str, Any],
    status: int = 200,
) -> Response:  # fmt: skip
    database: Database = request.app.state.db
    try:
        with database.unit_of_work() as session:
            subject = subject_service.get(session, subject_id)
            context = {
                "subject": views.public_view(session, request.app.state.vault, subject),
                "person": identifies_by_person(subject.kind, subject.merchant_form),
                **_targets(request, session, subject_id),
            }
    except NotFound as exc:
        raise PortalError(404) from exc
    context |= {"values": values, "errors": {}, **extra}
    return render(request, "public/filing.html", context, status)


@router.get("/subjects/{subject_id}/cases/new", response_class=HTMLResponse)
def filing_form(request: Request, subject_id: int, target: str = "", kind: str = "") -> Response:
    values = dict.fromkeys(FIELDS, "") | {"target": target, "kind": kind or "objection"}
    return _page(request, subject_id, values, {})


@router.post("/subjects/{subject_id}/cases/new", response_class=HTMLResponse)
async def file_case(request: Request, subject_id: int) -> Response:
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name in FIELDS}
    return await run_in_threadpool(_file, request, subject_id, values)


def _file(request: Request, subject_id: int, values: dict[str, str]) -> Response:
    database: Database = request.app.state.db
    vault = request.app.state.vault
    try:
        data = _validated(database, subject_id, values)
        guarded(request, identity.IDENTITY_RULE, "subject_id", str(subject_id),
                lambda checking: identity.prove(checking, vault, subject_id, data.uscc,
                                                data.id_number))  # fmt: skip
        with database.unit_of_work() as session:
            case = services.repairs(request).file_public(session, vault, subject_id, data)
            receipt = {"id": case.id, "kind": case.kind.value, "filed_on": case.filed_on,
                       "acknowledge_due": case.acknowledge_due,
                       "decision_due": case.decision_due}  # fmt: skip
    except ValidationError as exc:
        errors = _target_problem(values) | validation_errors(exc)
        return _page(request, subject_id, values, {"errors": errors}, 422)
    except NotFound as exc:
        if exc.message.startswith("subject"):
            raise PortalError(404) from exc
        return _page(request, subject_id, values, {"errors": {"target": exc.message}}, 422)
    except TooManyAttempts as exc:
        return _refused(request, subject_id, values, exc)
    except Forbidden as exc:
        errors = {"identifier": "filing.identity_refused"}
        return _page(request, subject_id, values, {"errors": errors}, exc.status_code)
    except AppError as exc:
        return _page(request, subject_id, values, {"errors": app_errors(exc)}, exc.status_code)
    return _page(request, subject_id, values, {"receipt": receipt}, 201)


def _validated(database: Database, subject_id: int, values: dict[str, str]) -> PublicCaseCreate:
    """The form as the service's input, in a transaction of its own: the identity check that
    follows commits its count before the filing's transaction begins."""
    with database.unit_of_work() as session:
        subject = subject_service.get(session, subject_id)
        person = identifies_by_person(subject.kind, subject.merchant_form)
    return PublicCaseCreate.model_validate(_payload(values, person))


def _refused(
    request: Request, subject_id: int, values: dict[str, str], exc: TooManyAttempts
) -> Response:
    """429 with Retry-After, the rule named at the identifier (by subject or by address)."""
    message = "throttle.by_address" if is_by_address(exc) else "throttle.by_subject"
    extra = {"errors": {"identifier": message}, "error_values": throttle_values(exc)}
    response = _page(request, subject_id, values, extra, exc.status_code)
    response.headers.update(exc.headers)
    return response


def _payload(values: dict[str, str], person: bool) -> dict[str, Any]:
    target, _, number = values["target"].partition(":")
    payload: dict[str, Any] = {
        "kind": values["kind"] or None,
        "target": target or "record",
        "grounds": values["grounds"],
        "evidence_refs": lines(values["evidence_refs"]),
        "contact_name": values["contact_name"],
        "contact_phone": values["contact_phone"],
        ("id_number" if person else "uscc"): values["identifier"].upper() or None,
    }
    if number.isdigit() and len(number) < 12:
        payload["list_entry_id" if target == "list_entry" else "record_id"] = int(number)
    return payload


def _target_problem(values: dict[str, str]) -> dict[str, str]:
    """A missing or malformed choice of target, named even when other fields fail first."""
    target, _, number = values["target"].partition(":")
    if target in ("record", "list_entry") and number.isdigit():
        return {}
    return {"target": "filing.target_required"}


SCHEMA_FIELDS = {"uscc": "identifier", "id_number": "identifier", "record_id": "target",
                 "list_entry_id": "target"}  # fmt: skip


def validation_errors(exc: ValidationError) -> dict[str, str]:
    """Pydantic's complaints, each at its form field (a model-level one at the target)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "target"
        field = SCHEMA_FIELDS.get(name, name if name in FIELDS else "target")
        errors.setdefault(field, f"{name}: {error['msg'].removeprefix('Value error, ')}")
    return errors


def app_errors(exc: AppError) -> dict[str, str]:
    if exc.problems:
        problem = exc.problems[0]
        field = SCHEMA_FIELDS.get(problem.field, problem.field)
        return {field if field in FIELDS else "_form": exc.message}
    return {"_form": exc.message}
