"""Every query of credit records."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.models.record import CreditRecord, EntryAction


class RecordRepository:
    def get(self, session: Session, record_id: int) -> CreditRecord | None:
        return session.get(CreditRecord, record_id)

    def family(self, session: Session, root_id: int) -> list[CreditRecord]:
        """The original and every entry that amends it, oldest first."""
        query = select(CreditRecord).where(
            (CreditRecord.id == root_id) | (CreditRecord.amends_id == root_id)
        )
        return list(session.scalars(query.order_by(CreditRecord.id)))

    def of_subject(self, session: Session, subject_id: int) -> list[CreditRecord]:
        query = select(CreditRecord).where(CreditRecord.subject_id == subject_id)
        return list(session.scalars(query.order_by(CreditRecord.id)))

    def original_by_decision(
        self, session: Session, source_org_id: int | None, type_code: str, decision_no: str
    ) -> CreditRecord | None:
        query = select(CreditRecord).where(
            CreditRecord.source_org_id == source_org_id,
            CreditRecord.type_code == type_code,
            CreditRecord.decision_no == decision_no,
            CreditRecord.action == EntryAction.ORIGINAL,
        )
        return session.scalar(query)

    def originals_by_decisions(
        self, session: Session, source_org_id: int | None, decision_nos: list[str]
    ) -> dict[tuple[str, str], CreditRecord]:
        """Originals of one organisation keyed by (type_code, decision_no), for batch dedupe."""
        if not decision_nos:
            return {}
        query = select(CreditRecord).where(
            CreditRecord.source_org_id == source_org_id,
            CreditRecord.decision_no.in_(decision_nos),
            CreditRecord.action == EntryAction.ORIGINAL,
        )
        return {(r.type_code, r.decision_no or ""): r for r in session.scalars(query)}


record_repository = RecordRepository()
