"""Every query of credit commitments."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.models.commitment import Commitment, CommitmentStatus
from ecredit.models.subject import Subject


class CommitmentRepository:
    def get(self, session: Session, commitment_id: int) -> Commitment | None:
        return session.get(Commitment, commitment_id)

    def lock_subject(self, session: Session, subject_id: int) -> None:
        """Serialise signings for one subject (PostgreSQL row lock; SQLite has one writer)."""
        session.execute(select(Subject.id).where(Subject.id == subject_id).with_for_update())

    def active_of(self, session: Session, subject_id: int, template_code: str) -> Commitment | None:
        query = select(Commitment).where(
            Commitment.subject_id == subject_id,
            Commitment.template_code == template_code,
            Commitment.status == CommitmentStatus.ACTIVE,
        )
        return session.scalars(query.limit(1)).first()

    def of_subject(
        self,
        session: Session,
        subject_id: int,
        statuses: Collection[CommitmentStatus] | None = None,
    ) -> list[Commitment]:
        """A subject's commitments, newest first."""
        query = select(Commitment).where(Commitment.subject_id == subject_id)
        if statuses is not None:
            query = query.where(Commitment.status.in_(list(statuses)))
        return list(session.scalars(query.order_by(Commitment.id.desc())))

    def due(self, session: Session, today: date) -> list[Commitment]:
        """Active commitments whose term ended before `today`."""
        query = select(Commitment).where(
            Commitment.status == CommitmentStatus.ACTIVE, Commitment.term_end < today
        )
        return list(session.scalars(query.order_by(Commitment.id)))


commitment_repository = CommitmentRepository()
