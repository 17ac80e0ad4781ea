"""The explicit business timeline and the personal-data access log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ecredit.audit.context import actor_of, request_id_of
from ecredit.models.audit import ChangeRecord, PersonalDataAccess, TimelineEvent
from ecredit.models.base import utcnow


class AuditService:
    def record_event(
        self,
        session: Session,
        entity: str,
        entity_id: int,
        kind: str,
        summary: str,
        data: dict[str, Any] | None = None,
    ) -> TimelineEvent:
        event = TimelineEvent(
            actor=actor_of(session),
            entity=entity,
            entity_id=entity_id,
            kind=kind,
            summary=summary,
            data=data or {},
        )
        session.add(event)
        session.flush()
        return event

    def record_events(
        self, session: Session, events: list[tuple[str, int, str, str, dict[str, Any]]]
    ) -> None:
        """Many timeline events in one statement: (entity, entity_id, kind, summary, data)."""
        if not events:
            return
        actor, at = actor_of(session), utcnow()
        rows = [
            {"at": at, "actor": actor, "entity": entity, "entity_id": entity_id, "kind": kind,
             "summary": summary, "data": data}
            for entity, entity_id, kind, summary, data in events
        ]  # fmt: skip
        session.execute(insert(TimelineEvent), rows)

    def log_personal_access(
        self, session: Session, subject_id: int, fields: list[str], purpose: str
    ) -> None:
        session.add(
            PersonalDataAccess(
                actor=actor_of(session),
                request_id=request_id_of(session),
                subject_id=subject_id,
                fields=fields,
                purpose=purpose,
            )
        )
        session.flush()

    def timeline(self, session: Session, entity: str, entity_id: int) -> list[TimelineEvent]:
        query = (
            select(TimelineEvent)
            .where(TimelineEvent.entity == entity, TimelineEvent.entity_id == entity_id)
            .order_by(TimelineEvent.id)
        )
        return list(session.scalars(query))

    def changes(self, session: Session, entity: str, entity_id: int) -> list[ChangeRecord]:
        query = (
            select(ChangeRecord)
            .where(ChangeRecord.entity == entity, ChangeRecord.entity_id == entity_id)
            .order_by(ChangeRecord.id)
        )
        return list(session.scalars(query))

    def personal_accesses(self, session: Session, subject_id: int) -> list[PersonalDataAccess]:
        query = (
            select(PersonalDataAccess)
            .where(PersonalDataAccess.subject_id == subject_id)
            .order_by(PersonalDataAccess.id)
        )
        return list(session.scalars(query))


audit_service = AuditService()
