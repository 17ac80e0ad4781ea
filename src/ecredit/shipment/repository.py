"""Every query of logistics credit, and the set-based writes of tracking ingestion.

Ingestion never loads ORM objects: the shipments of a batch are read in one query, the new
events are inserted in one `INSERT … ON CONFLICT DO NOTHING RETURNING`, and the touched
shipments' states move in one guarded `UPDATE` that only ever advances a state — so two batches
racing on one shipment still end on the latest event. On PostgreSQL both statements take the
whole batch as arrays (`unnest`): one fixed statement text, prepared once, whatever the batch
size (a multi-row VALUES list costs more to build and parse than to run).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, and_, bindparam, or_, select, update
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
        if session.connection().dialect.name == "postgresql":
            rows = _driver_execute(session, _PG_STATES, [list(set(waybills))])
        else:
            rows = list(session.execute(self._states_query(set(waybills))))
        found = {}
        for waybill, shipment_id, carrier_id, at, rank, event_id in rows:
            key = None
            if at is not None and rank is not None and event_id is not None:
                key = (at, rank, event_id)
            found[waybill] = ShipmentState(shipment_id, carrier_id, key)
        return found

    def _states_query(self, waybills: set[str]) -> Select[*tuple[Any, ...]]:
        return select(
            Shipment.waybill,
            Shipment.id,
            Shipment.carrier_id,
            Shipment.status_at,
            Shipment.status_rank,
            Shipment.status_event_id,
        ).where(Shipment.waybill.in_(waybills))

    def practitioners(self, session: Session, ids: Iterable[int]) -> set[int]:
        query = select(Subject.id).where(
            Subject.id.in_(set(ids)), Subject.kind == SubjectKind.PRACTITIONER
        )
        return set(session.scalars(query))

    def insert_events(
        self, session: Session, rows: Sequence[dict[str, Any]]
    ) -> set[tuple[int, str]]:
        """Insert the rows whose (shipment, event id) is new; the keys actually inserted."""
        if not rows:
            return set()
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            columns = [[row[name] for row in rows] for name in _EVENT_COLUMNS]
            return {(sid, eid) for sid, eid in _driver_execute(session, _PG_INSERT, columns)}
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
        if session.connection().dialect.name == "postgresql":
            columns = [[move[name] for move in moves] for name in _MOVE_KEYS]
            _driver_execute(session, _PG_ADVANCE, columns)
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


_EVENT_COLUMNS = (
    "shipment_id",
    "event_id",
    "status",
    "event_time",
    "area_code",
    "outlet",
    "courier_id",
    "note",
    "received_at",
)
_PG_INSERT = """
INSERT INTO tracking_event (shipment_id, event_id, status, event_time, area_code, outlet,
                            courier_id, note, received_at)
SELECT * FROM unnest(%b::integer[], %b::varchar[], %b::varchar[], %b::timestamptz[],
                     %b::varchar[], %b::varchar[], %b::integer[], %b::varchar[],
                     %b::timestamptz[])
ON CONFLICT (shipment_id, event_id) DO NOTHING
RETURNING shipment_id, event_id
"""
_PG_STATES = """
SELECT waybill, id, carrier_id, status_at, status_rank, status_event_id
FROM shipment WHERE waybill = ANY(%b::varchar[])
"""
_MOVE_KEYS = ("sid", "new_status", "new_rank", "new_at", "new_event")
_PG_ADVANCE = """
UPDATE shipment s
SET status = m.status, status_rank = m.rank, status_at = m.at, status_event_id = m.event_id
FROM unnest(%b::integer[], %b::varchar[], %b::smallint[], %b::timestamptz[], %b::varchar[])
     AS m(id, status, rank, at, event_id)
WHERE s.id = m.id AND (s.status_at IS NULL OR (s.status_at, s.status_rank, s.status_event_id)
                                               < (m.at, m.rank, m.event_id))
"""


def _driver_execute(session: Session, sql: str, columns: list[list[Any]]) -> list[Any]:
    """Run `sql` with one array per column (plain values: enums as their strings) on the
    session's psycopg connection, in its transaction; the rows it returns."""
    driver: Any = session.connection().connection.driver_connection
    with driver.cursor() as cursor:
        cursor.execute(sql, columns)
        return list(cursor.fetchall()) if cursor.description else []


shipment_repository = ShipmentRepository()
