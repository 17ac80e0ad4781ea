"""Thin JSON routes of logistics credit: shipments, tracking batches, evaluations, the
responsibility trace (internal) and the public trace by waybill number."""

from __future__ import annotations

from fastapi import APIRouter

from ecredit.authz.deps import Requires, SessionDep, VaultDep
from ecredit.authz.principals import Principal, Scope
from ecredit.models.base import utcnow
from ecredit.shipment import ingest, responsibility
from ecredit.shipment.schemas import (
    EvaluationCreate,
    EvaluationRead,
    IngestReport,
    PublicShipmentTrace,
    ShipmentCreate,
    ShipmentRead,
    ShipmentTrace,
    TrackingBatch,
)
from ecredit.shipment.service import shipment_service

router = APIRouter(prefix="/shipments", tags=["logistics"])
public_router = APIRouter(prefix="/public/shipments", tags=["public"])


@router.post("", status_code=201, response_model=ShipmentRead)
def register_shipment(
    data: ShipmentCreate,
    session: SessionDep,
    vault: VaultDep,
    principal: Principal = Requires(Scope.SHIPMENT_WRITE),
) -> ShipmentRead:
    """Register a shipment by waybill. With `check_carrier` (the default) a carrier on the
    logistics black list is refused with 409 naming the list and the carrier."""
    shipment = shipment_service.register(session, vault, data, principal)
    return ShipmentRead.model_validate(shipment)


@router.post("/events", response_model=IngestReport)
def push_events(
    data: TrackingBatch, session: SessionDep, principal: Principal = Requires(Scope.SHIPMENT_WRITE)
) -> IngestReport:
    """A carrier's batch of tracking scans for its own shipments. Each row is created, a
    duplicate (its event id is known for the waybill: stored once) or rejected with its rule;
    the shipment's state follows event time, not arrival order."""
    return ingest.ingest(session, data.events, principal)


@router.get("/{waybill}", response_model=ShipmentTrace)
def shipment_trace(
    waybill: str, session: SessionDep, _: Principal = Requires(Scope.RECORD_READ)
) -> ShipmentTrace:
    """The responsibility trace: who held the parcel at each step and where it went wrong."""
    shipment = shipment_service.get(session, waybill)
    return responsibility.shipment_trace(session, shipment, utcnow())


@router.post("/{waybill}/evaluations", status_code=201, response_model=EvaluationRead)
def evaluate(
    waybill: str,
    data: EvaluationCreate,
    session: SessionDep,
    vault: VaultDep,
    principal: Principal = Requires(Scope.SHIPMENT_EVALUATE),
) -> EvaluationRead:
    """Rate the carrier or a courier of the shipment (1–5): a regulator directly, a merchant or
    consumer through its platform; one per party per rated subject per shipment."""
    evaluation = shipment_service.evaluate(session, vault, waybill, data, principal)
    return EvaluationRead.model_validate(evaluation)


@public_router.get("/{waybill}", response_model=PublicShipmentTrace)
def public_shipment(waybill: str, session: SessionDep) -> PublicShipmentTrace:
    """A shipment's journey by waybill number, with no personal data."""
    return responsibility.public_trace(session, shipment_service.get(session, waybill))
