"""Every query of logistics credit, and the set-based writes of tracking ingestion.

Ingestion never loads ORM objects: the shipments of a batch are read in one query, the new
events are inserted in one `INSERT … ON CONFLICT DO NOTHING RETURNING` (multi-row VALUES), and
each touched shipment's state moves in one guarded `UPDATE` (executemany) that only ever
advances it — so two batches racing on one shipment still end on the latest event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ecredit.models.shipment import Shipment, ShipmentEvaluation, TrackingEvent
from ecredit.models.subject import Subject, SubjectKind

_EVENTS = cast(Table, TrackingEvent.__table__)
_SHIPMENTS = cast(Table, Shipment.__table__)


@dataclass(frozen=True, slots=True)
class ShipmentState:
    """What ingestion needs of a shipment: who carries it and its current state's key."""

    id: int
    carrier_id: int
    key: tuple[datetime, int, str] | None  # (event time, step rank, event id)


class ShipmentRepository:
    def by_waybill(self, session: Session, waybill: str) -> Shipment | None:
        return session.scalar(select(Shipment).where(Shipment.waybill == waybill))

    def waybill_taken(self, session: Session, waybill: str) -> bool:
        query = select(Shipment.id).where(Shipment.waybill == waybill)
        return session.scalar(query) is not None

    def states(self, session: Session, waybills: Iterable[str]) -> dict[str, ShipmentState]:
        query = select(
            Shipment.waybill,
            Shipment.id,
            Shipment.carrier_id,
            Shipment.status_at,
            Shipment.status_rank,
            Shipment.status_event_id,
        ).where(Shipment.waybill.in_(set(waybills)))
        found = {}
        for waybill, shipment_id, carrier_id, at, rank, event_id in session.execute(query):
            key = None
            if at is not None and rank is not None and event_id is not None:
                key = (at, rank, event_id)
            found[waybill] = ShipmentState(shipment_id, carrier_id, key)
        return found

    def practitioners(self, session: Session, ids: Iterable[int]) -> set[int]:
        query = select(Subject.id).where(
            Subject.id.in_(set(ids)), Subject.kind == SubjectKind.PRACTITIONER
        )
        return set(session.scalars(query))

    def insert_events(self, session: Session, rows: Sequence[dict[str, Any]]) -> set[tuple[int, str]]:
        """Insert the rows whose (shipment, event id) is new; the keys actually inserted."""
        if not rows:
            return set()
        connection = session.connection()
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        statement = (
            insert(_EVENTS)
            .on_conflict_do_nothing(index_elements=["shipment_id", "event_id"])
            .returning(_EVENTS.c.shipment_id, _EVENTS.c.event_id)
        )
        return {(row[0], row[1]) for row in connection.execute(statement, list(rows))}

    def advance(self, session: Session, moves: Sequence[dict[str, Any]]) -> None:
        """Set each shipment's state to the given event unless a later one is already there.
        Keys of a move: sid, new_status, new_rank, new_at, new_event."""
        if not moves:
            return
        table = _SHIPMENTS
        later = or_(
            table.c.status_at.is_(None),
            table.c.status_at < bindparam("new_at"),
            and_(
                table.c.status_at == bindparam("new_at"),
                or_(
                    table.c.status_rank < bindparam("new_rank"),
                    and_(
                        table.c.status_rank == bindparam("new_rank"),
                        table.c.status_event_id < bindparam("new_event"),
                    ),
                ),
            ),
        )
        statement = (
            update(table)
            .where(table.c.id == bindparam("sid"), later)
            .values(
                status=bindparam("new_status"),
                status_rank=bindparam("new_rank"),
                status_at=bindparam("new_at"),
                status_event_id=bindparam("new_event"),
            )
        )
        session.connection().execute(statement, list(moves))

    def events(self, session: Session, shipment_id: int) -> list[TrackingEvent]:
        query = select(TrackingEvent).where(TrackingEvent.shipment_id == shipment_id)
        return list(session.scalars(query))

    def subjects(self, session: Session, ids: Iterable[int]) -> dict[int, Subject]:
        query = select(Subject).where(Subject.id.in_(set(ids)))
        return {subject.id: subject for subject in session.scalars(query)}

    def evaluations(self, session: Session, shipment_id: int) -> list[ShipmentEvaluation]:
        query = select(ShipmentEvaluation).where(ShipmentEvaluation.shipment_id == shipment_id)
        return list(session.scalars(query.order_by(ShipmentEvaluation.id)))

    def evaluation_exists(
        self, session: Session, shipment_id: int, subject_id: int, rater_key: str
    ) -> bool:
        query = select(ShipmentEvaluation.id).where(
            ShipmentEvaluation.shipment_id == shipment_id,
            ShipmentEvaluation.subject_id == subject_id,
            ShipmentEvaluation.rater_key == rater_key,
        )
        return session.scalar(query) is not None

    def handled_by(self, session: Session, shipment_id: int, courier_id: int) -> bool:
        query = select(TrackingEvent.id).where(
            TrackingEvent.shipment_id == shipment_id, TrackingEvent.courier_id == courier_id
        )
        return session.scalar(query.limit(1)) is not None

    def recent(self, session: Session, limit: int) -> list[Shipment]:
        query = select(Shipment).order_by(Shipment.id.desc()).limit(limit)
        return list(session.scalars(query))


shipment_repository = ShipmentRepository()
