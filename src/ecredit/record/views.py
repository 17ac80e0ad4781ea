"""Records as staff and the public see them."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from ecredit.catalog.loader import Catalog
from ecredit.kit.masking import PersonalField, mask
from ecredit.models.record import CreditRecord, EntryAction
from ecredit.models.subject import Subject
from ecredit.record.schemas import (
    EntryRead,
    PublicFile,
    PublicFileGroup,
    PublicRecord,
    RecordRead,
)
from ecredit.record.state import RecordState
from ecredit.subject.repository import subject_repository
from ecredit.subject.service import identifies_by_person

# An ID number (18 characters) or a mainland mobile number inside free text.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


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
        public_from=state.public_from,
        public_until=state.public_until,
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
    subject = session.get(Subject, subject_id)
    groups: dict[str, list[PublicRecord]] = {}
    for state in states:
        if state.is_public(today):
            record = _public_record(session, catalog, state)
            record.summary = _public_text(record.summary, subject)
            groups.setdefault(state.original.type_code, []).append(record)
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


def _public_text(text: str | None, subject: Subject | None) -> str | None:
    """A summary is the deciding body's wording and often names the party (当事人张三…); for a
    natural person that name, and any ID or mobile number, is personal data and is masked."""
    if not text or subject is None or not identifies_by_person(subject.kind, subject.merchant_form):
        return text
    names = {name for name in (subject.name, subject.legal_representative) if name}
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, mask(PersonalField.PERSON_NAME, name) or "")
    text = _ID_NUMBER.sub(lambda m: mask(PersonalField.ID_NUMBER, m.group()) or "", text)
    return _MOBILE.sub(lambda m: mask(PersonalField.PHONE, m.group()) or "", text)
