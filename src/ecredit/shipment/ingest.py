"""Tracking ingestion: a carrier's batch of scans, stored once each, in any arrival order.

Each row is created, a duplicate (its (waybill, event id) is known, or repeated in the batch:
the first copy counts) or rejected with its rule. Only events actually inserted move a
shipment's state, and only forward by (event time, step rank, event id), so the state is the
same whatever order and however often the events arrive.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from ecredit.authz.principals import Principal
from ecredit.kit.errors import Forbidden
from ecredit.models.base import utcnow
from ecredit.models.org import OrgKind
from ecredit.models.shipment import STATUS_RANK
from ecredit.shipment.repository import ShipmentState, shipment_repository
from ecredit.shipment.schemas import IngestReport, IngestRow, TrackingEventIn

Key = tuple[datetime, int, str]


def carrier_of(by: Principal) -> int:
    """The carrier subject a principal pushes for; anyone else is refused."""
    if by.org_kind is not OrgKind.LOGISTICS or by.org_subject_id is None:
        raise Forbidden(
            "only a carrier (a logistics organisation linked to its subject) pushes tracking "
            "events, and only for its own shipments"
        )
    return by.org_subject_id


def ingest(session: Session, events: Sequence[TrackingEventIn], by: Principal) -> IngestReport:
    """Store a batch set-based: one read of the shipments, one insert, one state update."""
    carrier_id = carrier_of(by)
    states = shipment_repository.states(session, {event.waybill for event in events})
    couriers = shipment_repository.practitioners(
        session, {e.courier_id for e in events if e.courier_id is not None}
    )
    report, rows, pending = _sort(events, states, carrier_id, couriers)
    inserted = shipment_repository.insert_events(session, rows)
    report += [
        IngestRow(index=index, event_id=key[1], status="duplicate")
        for index, key in pending
        if key not in inserted
    ]
    shipment_repository.advance(session, _moves(states, rows, inserted))
    session.expire_all()  # the states moved underneath any Shipment objects already loaded
    return _summary(len(inserted), sorted(report, key=lambda row: row.index))


def _sort(
    events: Sequence[TrackingEventIn],
    states: dict[str, ShipmentState],
    carrier_id: int,
    couriers: set[int],
) -> tuple[list[IngestRow], list[dict[str, Any]], list[tuple[int, tuple[int, str]]]]:
    """(rows rejected or repeated in the batch, rows to insert, their indexes and keys)."""
    report: list[IngestRow] = []
    rows: list[dict[str, Any]] = []
    pending: list[tuple[int, tuple[int, str]]] = []
    seen: set[tuple[int, str]] = set()
    now = utcnow()
    for index, event in enumerate(events):
        state = states.get(event.waybill)
        problem = _problem(event, state, carrier_id, couriers)
        if problem is not None:
            rule, message = problem
            report.append(IngestRow(index=index, event_id=event.event_id, status="rejected",
                                    rule=rule, message=message))  # fmt: skip
        elif state is not None and (key := (state.id, event.event_id)) not in seen:
            seen.add(key)
            rows.append(_row(state.id, event, now))
            pending.append((index, key))
        else:
            report.append(IngestRow(index=index, event_id=event.event_id, status="duplicate"))
    return report, rows, pending


def _problem(
    event: TrackingEventIn, state: ShipmentState | None, carrier_id: int, couriers: set[int]
) -> tuple[str, str] | None:
    if state is None:
        return "unknown_waybill", f"waybill: {event.waybill} is not a registered shipment"
    if state.carrier_id != carrier_id:
        return "not_own_shipment", f"waybill: {event.waybill} is carried by another carrier"
    if event.courier_id is not None and event.courier_id not in couriers:
        return "courier_kind", f"courier_id: subject {event.courier_id} is not a practitioner"
    return None


def _row(shipment_id: int, event: TrackingEventIn, now: datetime) -> dict[str, Any]:
    return {
        "shipment_id": shipment_id,
        "event_id": event.event_id,
        "status": event.status.value,  # plain: the PostgreSQL path binds arrays directly
        "event_time": event.event_time.astimezone(UTC),
        "area_code": event.area_code,
        "outlet": event.outlet,
        "courier_id": event.courier_id,
        "note": event.note,
        "received_at": now,
    }


def _moves(
    states: dict[str, ShipmentState], rows: list[dict[str, Any]], inserted: set[tuple[int, str]]
) -> list[dict[str, Any]]:
    """Per shipment, the latest inserted event, when it is later than the stored state."""
    current: dict[int, Key | None] = {state.id: state.key for state in states.values()}
    latest: dict[int, Key] = {}
    for row in rows:
        shipment_id = row["shipment_id"]
        if (shipment_id, row["event_id"]) not in inserted:
            continue
        key = (row["event_time"], STATUS_RANK[row["status"]], row["event_id"])
        best = latest.get(shipment_id) or current.get(shipment_id)
        if best is None or key > best:
            latest[shipment_id] = key
    return [
        {
            "sid": sid,
            "new_at": at,
            "new_rank": rank,
            "new_event": event_id,
            "new_status": _STATUS_BY_RANK[rank].value,
        }
        for sid, (at, rank, event_id) in latest.items()
    ]


_STATUS_BY_RANK = {rank: status for status, rank in STATUS_RANK.items()}


def _summary(created: int, rows: list[IngestRow]) -> IngestReport:
    duplicates = sum(1 for row in rows if row.status == "duplicate")
    return IngestReport(
        created=created, duplicates=duplicates, rejected=len(rows) - duplicates, rows=rows
    )
