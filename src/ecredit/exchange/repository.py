"""Every query of the exchange domain."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.models.org import Organisation
from ecredit.models.record import CreditRecord


class ExchangeRepository:
    def entries(
        self, session: Session, type_codes: Collection[str], source_org_id: int | None
    ) -> list[CreditRecord]:
        """Every entry (originals and amendments) of these types, of one organisation or all.

        Amendments carry their original's type and source organisation, so one query finds
        whole families."""
        query = select(CreditRecord).where(CreditRecord.type_code.in_(list(type_codes)))
        if source_org_id is not None:
            query = query.where(CreditRecord.source_org_id == source_org_id)
        return list(session.scalars(query.order_by(CreditRecord.id)))

    def organisations(self, session: Session, ids: Sequence[int]) -> dict[int, Organisation]:
        if not ids:
            return {}
        query = select(Organisation).where(Organisation.id.in_(ids))
        return {org.id: org for org in session.scalars(query)}


exchange_repository = ExchangeRepository()
