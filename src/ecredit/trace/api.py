"""Thin JSON routes of product traceability: products, batches, trace events, the trace of a
batch (internal and public), its recall and the recall set (JSON or CSV)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from ecredit.authz.deps import Requires, SessionDep, VaultDep
from ecredit.authz.principals import Principal, Scope
from ecredit.trace import views
from ecredit.trace.schemas import (
    BatchCreate,
    BatchRead,
    IngestReport,
    ProductCreate,
    ProductRead,
    PublicTraceAnswer,
    RecallCreate,
    RecallSet,
    TraceAnswer,
    TraceEventBatch,
)
from ecredit.trace.service import trace_service

router = APIRouter(prefix="/trace", tags=["traceability"])
public_router = APIRouter(prefix="/public/trace", tags=["public"])


@router.post("/products", status_code=201, response_model=ProductRead)
def register_product(
    data: ProductCreate, session: SessionDep, _: Principal = Requires(Scope.TRACE_WRITE)
) -> ProductRead:
    """Register a product by GTIN (check digit verified) with its manufacturer subject."""
    return ProductRead.model_validate(trace_service.register_product(session, data))


@router.post("/products/{gtin}/batches", status_code=201, response_model=BatchRead)
def add_batch(
    gtin: str, data: BatchCreate, session: SessionDep, _: Principal = Requires(Scope.TRACE_WRITE)
) -> BatchRead:
    return BatchRead.model_validate(trace_service.add_batch(session, gtin, data))


@router.post("/events", response_model=IngestReport)
def ingest_events(
    data: TraceEventBatch,
    session: SessionDep,
    vault: VaultDep,
    principal: Principal = Requires(Scope.TRACE_WRITE),
) -> IngestReport:
    """Report trace events in a batch. Each row is created, a duplicate (its event id is known:
    nothing is stored twice) or rejected with the reason; arrival order does not matter."""
    return trace_service.ingest(session, vault, data.events, principal)


@router.get("/{gtin}/{batch}", response_model=TraceAnswer)
def trace(
    gtin: str, batch: str, session: SessionDep, _: Principal = Requires(Scope.RECORD_READ)
) -> TraceAnswer:
    """来源可查、去向可追、责任可究: origin, each step in time order with who was responsible,
    where the batch went (shops, orders) and the complaints about it."""
    return views.trace_answer(session, trace_service.batch(session, gtin, batch))


@router.post("/{gtin}/{batch}/recall", status_code=201, response_model=RecallSet)
def recall(
    gtin: str,
    batch: str,
    data: RecallCreate,
    session: SessionDep,
    principal: Principal = Requires(Scope.TRACE_WRITE),
) -> RecallSet:
    """Recall a batch (a `recalled` event); the answer is the recall set."""
    trace_service.recall(session, gtin, batch, data, principal)
    return views.recall_set(session, trace_service.batch(session, gtin, batch))


@router.get("/{gtin}/{batch}/recall-set", response_model=RecallSet)
def recall_set(
    gtin: str,
    batch: str,
    session: SessionDep,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
    _: Principal = Requires(Scope.RECORD_READ),
) -> RecallSet | Response:
    """Every order, shop and consumer (masked) the batch reached; `?format=csv` exports the
    affected orders."""
    found = views.recall_set(session, trace_service.batch(session, gtin, batch))
    if format == "csv":
        name = f"recall-{found.gtin}-{found.batch_code}.csv"
        return Response(
            views.recall_csv(found),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return found


@public_router.get("/{gtin}/{batch}", response_model=PublicTraceAnswer)
def public_trace(gtin: str, batch: str, session: SessionDep) -> PublicTraceAnswer:
    """A batch's trace by barcode: origin and steps with public names; no order, waybill or
    consumer data."""
    return views.public_trace(session, trace_service.batch(session, gtin, batch))
