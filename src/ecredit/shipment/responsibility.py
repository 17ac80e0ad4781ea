"""The responsibility trace of a shipment: who held it at each step, and where it went wrong.

Steps are in journey order (event time, step rank, event id), whatever order they arrived in;
a step that arrived after a later-timed one is marked `late`. Findings name the holder at the
moment things went wrong: an exception or return scan, a long gap without a scan (between two
scans, or since the last one while the parcel is still open), a signature without a delivery
scan before it, and a journey that does not start with a collection scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ecredit.models.shipment import STATUS_RANK, Shipment, TrackingEvent, TrackingStatus
from ecredit.models.subject import Subject
from ecredit.parameters.service import parameter_service
from ecredit.shipment.repository import shipment_repository
from ecredit.shipment.schemas import (
    EvaluationRead,
    Finding,
    Holder,
    PublicShipmentTrace,
    PublicStep,
    ShipmentRead,
    ShipmentTrace,
    TraceStep,
)
from ecredit.subject.views import public_name

LONG_GAP = "shipment.long_gap_hours"
CLOSED = frozenset({TrackingStatus.SIGNED, TrackingStatus.RETURNED})
_SECONDS_PER_HOUR = 3600


def journey(events: list[TrackingEvent]) -> list[TrackingEvent]:
    return sorted(events, key=lambda e: (e.event_time, STATUS_RANK[e.status], e.event_id))


def late_ids(events: list[TrackingEvent]) -> set[int]:
    """Events that arrived after an event later in the journey had already arrived."""
    rank = {event.id: position for position, event in enumerate(journey(events))}
    furthest, late = -1, set()
    for event in sorted(events, key=lambda e: (e.received_at, e.id)):
        if rank[event.id] < furthest:
            late.add(event.id)
        furthest = max(furthest, rank[event.id])
    return late


@dataclass(frozen=True)
class _Names:
    subjects: dict[int, Subject]
    public: bool

    def of(self, subject_id: int | None) -> str | None:
        subject = self.subjects.get(subject_id) if subject_id is not None else None
        if subject is None:
            return None
        return public_name(subject) if self.public else subject.name


def _holder(event: TrackingEvent, carrier: str, names: _Names) -> Holder:
    return Holder(
        carrier=carrier,
        courier=names.of(event.courier_id),
        outlet=event.outlet,
        area_code=event.area_code,
    )


def shipment_trace(session: Session, shipment: Shipment, now: datetime) -> ShipmentTrace:
    """Every step with its holder, the findings, and the evaluations of the shipment."""
    events = journey(shipment_repository.events(session, shipment.id))
    ids = {shipment.carrier_id} | {e.courier_id for e in events if e.courier_id is not None}
    names = _Names(shipment_repository.subjects(session, ids), public=False)
    carrier = names.of(shipment.carrier_id) or ""
    late = late_ids(events)
    steps = [
        TraceStep(
            event_id=e.event_id,
            status=e.status,
            event_time=e.event_time,
            received_at=e.received_at,
            late=e.id in late,
            holder=_holder(e, carrier, names),
            note=e.note,
        )
        for e in events
    ]
    gap = float(parameter_service.get(session, LONG_GAP))
    evaluations = shipment_repository.evaluations(session, shipment.id)
    return ShipmentTrace(
        shipment=ShipmentRead.model_validate(shipment),
        carrier=carrier,
        steps=steps,
        findings=findings(steps, gap, now),
        evaluations=[EvaluationRead.model_validate(e) for e in evaluations],
    )


def findings(steps: list[TraceStep], gap_hours: float, now: datetime) -> list[Finding]:
    """Where the journey went wrong, in journey order."""
    found: list[Finding] = []
    if steps and steps[0].status is not TrackingStatus.COLLECTED:
        found.append(_finding("no_collection_scan", steps[0], "没有揽收扫描 / no collection scan"))
    delivering = False
    for previous, step in zip([None, *steps], steps, strict=False):
        if previous is not None:
            found += _gap(previous, step.event_time, gap_hours)
        if step.status is TrackingStatus.EXCEPTION:
            found.append(_finding("exception", step, f"异常 / exception: {step.note or '-'}"))
        elif step.status is TrackingStatus.RETURNED:
            found.append(_finding("returned", step, f"退回 / returned: {step.note or '-'}"))
        elif step.status is TrackingStatus.SIGNED and not delivering:
            message = "签收前无派送扫描 / signed without a delivery scan"
            found.append(_finding("signed_without_delivery_scan", step, message))
        delivering = delivering or step.status is TrackingStatus.OUT_FOR_DELIVERY
    if steps and steps[-1].status not in CLOSED:
        found += _gap(steps[-1], now, gap_hours)
    return found


def _gap(step: TraceStep, until: datetime, gap_hours: float) -> list[Finding]:
    hours = (until - step.event_time).total_seconds() / _SECONDS_PER_HOUR
    if hours <= gap_hours:
        return []
    message = f"{hours:.0f} 小时无扫描 / {hours:.0f} hours without a scan after this step"
    return [_finding("long_gap", step, message, round(hours, 1))]


def _finding(rule: str, step: TraceStep, message: str, hours: float | None = None) -> Finding:
    return Finding.model_validate(
        {
            "rule": rule,
            "event_id": step.event_id,
            "at": step.event_time,
            "hours": hours,
            "holder": step.holder,
            "message": message,
        }
    )


def public_trace(session: Session, shipment: Shipment) -> PublicShipmentTrace:
    """What anyone with the waybill number may see: the carrier, areas, outlets and steps;
    no order, consignee or courier."""
    events = journey(shipment_repository.events(session, shipment.id))
    carrier = shipment_repository.subjects(session, {shipment.carrier_id})[shipment.carrier_id]
    return PublicShipmentTrace(
        waybill=shipment.waybill,
        carrier=public_name(carrier),
        origin_area=shipment.origin_area,
        destination_area=shipment.destination_area,
        status=shipment.status,
        status_at=shipment.status_at,
        steps=[
            PublicStep(
                status=e.status, event_time=e.event_time, area_code=e.area_code, outlet=e.outlet
            )
            for e in events
        ],
    )
