"""The JSON API under /api/v1: every domain's router, and errors as bodies that name the rule."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ecredit.alert.api import router as alert_router
from ecredit.alert.run_api import router as detection_run_router
from ecredit.commitment.api import public_router as commitment_public_router
from ecredit.commitment.api import router as commitment_router
from ecredit.complaint.api import public_router as complaint_public_router
from ecredit.complaint.api import router as complaint_router
from ecredit.exchange.api import router as exchange_router
from ecredit.fund.api import router as fund_router
from ecredit.kit.errors import AppError
from ecredit.lake.api import router as lake_router
from ecredit.ledger.api import public_router as ledger_public_router
from ecredit.ledger.api import router as ledger_router
from ecredit.listing.api import public_router as listing_public_router
from ecredit.listing.api import router as listing_router
from ecredit.measure.api import public_router as measure_public_router
from ecredit.measure.api import router as measure_router
from ecredit.org.api import router as org_router
from ecredit.parameters.api import router as parameters_router
from ecredit.record.api import public_router as record_public_router
from ecredit.record.api import router as record_router
from ecredit.repair.api import public_router as repair_public_router
from ecredit.repair.api import router as repair_router
from ecredit.scoring.api import public_router as scoring_public_router
from ecredit.scoring.api import router as scoring_router
from ecredit.shipment.api import public_router as shipment_public_router
from ecredit.shipment.api import router as shipment_router
from ecredit.subject.api import router as subject_router
from ecredit.subject.api import shops_router
from ecredit.subject.public_api import router as public_router
from ecredit.subscription.api import router as subscription_router
from ecredit.trace.api import public_router as trace_public_router
from ecredit.trace.api import router as trace_router
from ecredit.warning.api import router as warning_router

API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)
    children = (
        public_router,
        record_public_router,
        ledger_public_router,
        commitment_public_router,
        scoring_public_router,
        repair_public_router,
        listing_public_router,
        measure_public_router,
        trace_public_router,
        subject_router,
        shops_router,
        record_router,
        scoring_router,
        repair_router,
        listing_router,
        measure_router,
        exchange_router,
        commitment_router,
        ledger_router,
        org_router,
        parameters_router,
        subscription_router,
        trace_router,
        fund_router,
        lake_router,
        alert_router,
        detection_run_router,
        complaint_public_router,
        complaint_router,
        shipment_public_router,
        shipment_router,
        warning_router,
    )
    for child in children:
        router.include_router(child)
    return router


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(_request: Request, exc: AppError) -> JSONResponse:
        return JSONResponse(exc.as_dict(), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {
                "field": ".".join(str(part) for part in error["loc"] if part != "body"),
                "rule": error["type"],
                "message": f"{error['loc'][-1]}: {error['msg']}",
            }
            for error in exc.errors()
        ]
        body = {
            "error": "invalid_input",
            "message": "; ".join(p["message"] for p in problems),
            "problems": problems,
        }
        return JSONResponse(body, status_code=422)
