"""Records as staff and the public see them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ecredit.catalog.loader import Catalog
from ecredit.models.record import CreditRecord, EntryAction
from ecredit.record.schemas import (
    EntryRead,
    PublicFile,
    PublicFileGroup,
    PublicRecord,
    RecordRead,
)
from ecredit.record.state import RecordState
from ecredit.subject.repository import subject_repository


def record_read(session: Session, catalog: Catalog, state: RecordState, today: date) -> RecordRead:
    spec = catalog.get(state.original.type_code)
    return RecordRead(
        id=state.original.id,
        subject_id=state.original.subject_id,
        type_code=spec.code,
        type_name=spec.name_zh,
        polarity=spec.polarity,
        status=state.status(today),
        is_public=state.is_public(today),
        current=EntryRead.model_validate(state.current),
        history=[EntryRead.model_validate(entry) for entry in state.entries],
        source_org=subject_repository.organisation_name(session, state.original.source_org_id),
    )


def entry_read(entry: CreditRecord) -> EntryRead:
    return EntryRead.model_validate(entry)


def public_file(
    session: Session, catalog: Catalog, subject_id: int, states: list[RecordState], today: date
) -> PublicFile:
    """Only what is inside its display window and neither revoked nor repaired, grouped by
    type in catalogue order. Summaries are the deciding body's public wording."""
    groups: dict[str, list[PublicRecord]] = {}
    for state in states:
        if state.is_public(today):
            groups.setdefault(state.original.type_code, []).append(
                _public_record(session, catalog, state)
            )
    ordered = [spec for spec in catalog.all() if spec.code in groups]
    return PublicFile(
        subject_id=subject_id,
        as_of=today,
        groups=[
            PublicFileGroup(
                type_code=spec.code,
                type_name=spec.name_zh,
                polarity=spec.polarity,
                records=groups[spec.code],
            )
            for spec in ordered
        ],
    )


def _public_record(session: Session, catalog: Catalog, state: RecordState) -> PublicRecord:
    current = state.current
    return PublicRecord(
        id=state.original.id,
        type_code=current.type_code,
        type_name=catalog.get(current.type_code).name_zh,
        polarity=catalog.get(current.type_code).polarity,
        severity=current.severity,
        legal_basis=current.legal_basis,
        decision_no=current.decision_no,
        decision_date=current.decision_date,
        penalty_kind=current.penalty_kind,
        amount=current.amount,
        summary=current.summary,
        public_from=state.public_from,
        public_until=state.public_until,
        source_org=subject_repository.organisation_name(session, state.original.source_org_id),
        corrected=current.action is EntryAction.CORRECTION,
    )
