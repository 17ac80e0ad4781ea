"""The shipment trace pages: a public one by waybill number (no personal data: the public
trace model carries none) and the staff responsibility trace (scope record:read)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response
from starlette.requests import Request

from ecredit.authz.principals import Scope
from ecredit.kit.db import Database
from ecredit.kit.errors import NotFound
from ecredit.models.base import utcnow
from ecredit.shipment import responsibility
from ecredit.shipment.schemas import WAYBILL_PATTERN
from ecredit.shipment.service import shipment_service
from ecredit.web import csrf
from ecredit.web.auth import StaffDep, require_scope
from ecredit.web.render import render
from ecredit.web.staff import staff_work

router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


def _waybill(text: str) -> str | None:
    """The waybill number as typed, if it has the shape of one."""
    value = text.strip()
    return value if re.fullmatch(WAYBILL_PATTERN, value) else None


@router.get("/shipments", response_class=HTMLResponse)
def public_shipment(request: Request, waybill: str = "") -> Response:
    context: dict[str, object] = {"waybill": waybill, "trace": None, "error": None}
    if not waybill:
        return render(request, "public/shipment.html", context)
    number = _waybill(waybill)
    if number is None:
        context["error"] = "shipment.bad_waybill"
        return render(request, "public/shipment.html", context, status=422)
    database: Database = request.app.state.db
    try:
        with database.unit_of_work() as session:
            shipment = shipment_service.get(session, number)
            context["trace"] = responsibility.public_trace(session, shipment)
    except NotFound:
        context["error"] = "shipment.not_found"
        return render(request, "public/shipment.html", context, status=404)
    return render(request, "public/shipment.html", context)


@router.get("/staff/shipments", response_class=HTMLResponse)
def staff_shipment(request: Request, principal: StaffDep, waybill: str = "") -> Response:
    require_scope(principal, Scope.RECORD_READ)
    context: dict[str, object] = {"waybill": waybill, "trace": None, "error": None}
    number = _waybill(waybill) if waybill else None
    if waybill and number is None:
        context["error"] = "shipment.bad_waybill"
        return render(request, "staff/shipment.html", context, status=422)
    with staff_work(request, principal) as session:
        if number is None:
            context["recent"] = [s.waybill for s in shipment_service.recent(session, 20)]
            return render(request, "staff/shipment.html", context)
        try:
            shipment = shipment_service.get(session, number)
        except NotFound:
            context["error"] = "shipment.not_found"
            return render(request, "staff/shipment.html", context, status=404)
        context["trace"] = responsibility.shipment_trace(session, shipment, utcnow())
    return render(request, "staff/shipment.html", context)
