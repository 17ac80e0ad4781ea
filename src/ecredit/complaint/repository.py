"""Every query of complaints and reports."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, case, or_, select
from sqlalchemy.orm import Session

from ecredit.models.complaint import CLOSED, Complaint, ComplaintKind, ComplaintStatus
from ecredit.models.fund import EntryKind, JournalEntry

ENTITY = "complaint"
S = ComplaintStatus


def overdue_condition(today: date) -> ColumnElement[bool]:
    """SQL form of `deadlines.overdue_steps(...) != []`."""
    c = Complaint
    return or_(
        and_(c.status == S.PLATFORM, c.platform_due < today),
        and_(c.status == S.DEPARTMENT, c.accept_due < today),
        and_(c.status == S.MEDIATION, c.mediation_due < today),
        and_(c.status == S.CHECKING, c.check_due < today),
        and_(c.status.in_(CLOSED), c.notified_on.is_(None), c.notify_due < today),
    )


def earliest_due() -> ColumnElement[date]:
    """The deadline the queue sorts by: the one of the step the complaint waits for."""
    c = Complaint
    return case(
        (c.status == S.PLATFORM, c.platform_due),
        (c.status == S.DEPARTMENT, c.accept_due),
        (c.status == S.MEDIATION, c.mediation_due),
        (c.status == S.CHECKING, c.check_due),
        else_=c.notify_due,
    )


class ComplaintRepository:
    def by_tracking_no(
        self, session: Session, tracking_no: str, lock: bool = False
    ) -> Complaint | None:
        query = select(Complaint).where(Complaint.tracking_no == tracking_no)
        if lock:  # row-locked on PostgreSQL, so two handlers cannot both move it
            query = query.with_for_update().execution_options(populate_existing=True)
        return session.scalars(query).first()

    def queue(
        self,
        session: Session,
        today: date,
        statuses: tuple[ComplaintStatus, ...] = (),
        kind: ComplaintKind | None = None,
        overdue: bool | None = None,
        platform_id: int | None = None,
        limit: int = 200,
    ) -> list[Complaint]:
        """The workbench: the nearest deadline first (closed and told last)."""
        query = select(Complaint)
        if statuses:
            query = query.where(Complaint.status.in_(statuses))
        if kind is not None:
            query = query.where(Complaint.kind == kind)
        if overdue is not None:
            condition = overdue_condition(today)
            query = query.where(condition if overdue else ~condition)
        if platform_id is not None:
            query = query.where(
                or_(
                    Complaint.platform_subject_id == platform_id,
                    Complaint.respondent_subject_id == platform_id,
                )
            )
        due = earliest_due()
        query = query.order_by(due.is_(None), due, Complaint.id).limit(limit)
        return list(session.scalars(query))

    def overdue(self, session: Session, today: date) -> list[Complaint]:
        """Every complaint with a missed deadline, row-locked, for the escalation job."""
        query = select(Complaint).where(overdue_condition(today)).order_by(Complaint.id)
        query = query.with_for_update().execution_options(populate_existing=True)
        return list(session.scalars(query))

    def payouts(self, session: Session, tracking_no: str) -> list[JournalEntry]:
        """Advance compensation paid from a fund for this complaint (its tracking number)."""
        query = select(JournalEntry).where(
            JournalEntry.complaint_ref == tracking_no, JournalEntry.kind == EntryKind.PAYOUT
        )
        return list(session.scalars(query.order_by(JournalEntry.id)))


complaint_repository = ComplaintRepository()
