"""The public product trace page: a consumer types (or scans) the barcode and the batch code
printed on a package and sees where the batch came from, each step and who answered for it.

Only `views.public_trace` reaches the template: no order, waybill or consumer data, and natural
persons' names masked by the one masking function.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response
from starlette.requests import Request

from ecredit.kit.db import Database
from ecredit.kit.errors import InvalidInput, NotFound
from ecredit.trace import views
from ecredit.trace.service import trace_service
from ecredit.web import csrf
from ecredit.web.render import render

MAX_BATCH_CODE = 40
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


@router.get("/trace", response_class=HTMLResponse)
def trace_page(request: Request, gtin: str = "", batch: str = "") -> Response:
    """The form, and the trace once both a barcode and a batch code are given."""
    values = {"gtin": gtin.strip(), "batch": batch.strip()}
    context: dict[str, object] = {"values": values, "errors": {}, "trace": None}
    if not values["gtin"] and not values["batch"]:
        return render(request, "public/trace.html", context)
    errors = _form_errors(values)
    if errors:
        context["errors"] = errors
        return render(request, "public/trace.html", context, status=422)
    database: Database = request.app.state.db
    try:
        with database.unit_of_work() as session:
            batch_row = trace_service.batch(session, values["gtin"], values["batch"])
            context["trace"] = views.public_trace(session, batch_row)
    except InvalidInput as exc:
        # The service's own words name the rule (e.g. the check digit it expected).
        context["errors"] = {"gtin": "trace.gtin_invalid"}
        context["error_text"] = exc.message
        return render(request, "public/trace.html", context, status=422)
    except NotFound:
        context["not_found"] = True
        return render(request, "public/trace.html", context, status=404)
    return render(request, "public/trace.html", context)


def _form_errors(values: dict[str, str]) -> dict[str, str]:
    """Missing or over-long fields, named; the GTIN's own rules are the service's to state."""
    errors: dict[str, str] = {}
    if not values["gtin"]:
        errors["gtin"] = "trace.gtin_required"
    if not values["batch"]:
        errors["batch"] = "trace.batch_required"
    elif len(values["batch"]) > MAX_BATCH_CODE:
        errors["batch"] = "trace.batch_too_long"
    return errors
