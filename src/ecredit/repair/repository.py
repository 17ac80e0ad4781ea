"""Every query of objection and repair cases."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from ecredit.models.audit import TimelineEvent
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.repair import CaseKind, CaseStatus, CaseTarget, RepairCase

OPEN = (CaseStatus.FILED, CaseStatus.ACKNOWLEDGED)
ENTITY = "repair_case"
OVERDUE_EVENT = "repair_case_overdue"


def _overdue(today: date) -> ColumnElement[bool]:
    """SQL form of `deadlines.overdue_steps(...) != []` (the list entry joined outer)."""
    removal_pending = and_(
        RepairCase.status == CaseStatus.GRANTED,
        RepairCase.kind == CaseKind.REPAIR,
        RepairCase.target == CaseTarget.LIST_ENTRY,
        RepairCase.removal_due < today,
        or_(ListEntry.id.is_(None), ListEntry.status != ListStatus.REMOVED),
    )
    return or_(
        and_(RepairCase.status == CaseStatus.FILED, RepairCase.acknowledge_due < today),
        and_(RepairCase.status.in_(OPEN), RepairCase.decision_due < today),
        removal_pending,
    )


class RepairCaseRepository:
    def get(self, session: Session, case_id: int) -> RepairCase | None:
        return session.get(RepairCase, case_id)

    def lock(self, session: Session, case_id: int) -> RepairCase | None:
        """The case, row-locked on PostgreSQL, so two deciders cannot both move it."""
        query = select(RepairCase).where(RepairCase.id == case_id).with_for_update()
        return session.scalars(query.execution_options(populate_existing=True)).first()

    def open_for(
        self, session: Session, kind: CaseKind, record_id: int | None, list_entry_id: int | None
    ) -> RepairCase | None:
        """An undecided case of `kind` about the same record or list entry."""
        query = select(RepairCase).where(
            RepairCase.kind == kind,
            RepairCase.status.in_(OPEN),
            RepairCase.record_id == record_id
            if record_id is not None
            else RepairCase.list_entry_id == list_entry_id,
        )
        return session.scalars(query.limit(1)).first()

    def queue(
        self,
        session: Session,
        today: date,
        status: CaseStatus | None = None,
        kind: CaseKind | None = None,
        overdue: bool | None = None,
        limit: int = 200,
    ) -> list[RepairCase]:
        """Cases for the staff queue, the most urgent decision first."""
        query = select(RepairCase).outerjoin(ListEntry, ListEntry.id == RepairCase.list_entry_id)
        if status is not None:
            query = query.where(RepairCase.status == status)
        if kind is not None:
            query = query.where(RepairCase.kind == kind)
        if overdue is not None:
            condition = _overdue(today)
            query = query.where(condition if overdue else ~condition)
        query = query.order_by(RepairCase.decision_due, RepairCase.id).limit(limit)
        return list(session.scalars(query))

    def overdue(self, session: Session, today: date) -> list[RepairCase]:
        return self.queue(session, today, overdue=True, limit=10_000)

    def list_entry(self, session: Session, entry_id: int | None) -> ListEntry | None:
        return None if entry_id is None else session.get(ListEntry, entry_id)

    def escalated_steps(self, session: Session, case_id: int) -> set[str]:
        """The steps this case has already been escalated for (from its timeline)."""
        query = select(TimelineEvent.data).where(
            TimelineEvent.entity == ENTITY,
            TimelineEvent.entity_id == case_id,
            TimelineEvent.kind == OVERDUE_EVENT,
        )
        return {str(data.get("step")) for data in session.scalars(query)}


repair_case_repository = RepairCaseRepository()
