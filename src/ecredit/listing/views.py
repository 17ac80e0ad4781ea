"""Turn list kinds and entries into their staff and public views. A natural person's name
leaves only masked, in the entry's subject name and in its reason."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.listing.kinds import GradeHeld, ListKind
from ecredit.listing.notices import ENTITY
from ecredit.listing.schemas import (
    ListEntryDetail,
    ListEntryRead,
    ListKindRead,
    PublicListEntry,
    TimelineItem,
)
from ecredit.models.listing import ListEntry
from ecredit.models.subject import Subject
from ecredit.parameters.service import parameter_service
from ecredit.record.views import _public_text as public_text
from ecredit.subject.service import identifies_by_person
from ecredit.subject.views import public_name


def kind_read(session: Session, kind: ListKind) -> ListKindRead:
    rule = kind.criteria
    automatic = None
    if isinstance(rule, GradeHeld):
        automatic = f"grade {rule.grade.value}"
    elif rule is not None:
        automatic = "serious negative record"
    return ListKindRead(
        code=kind.code,
        name_zh=kind.name_zh,
        name_en=kind.name_en,
        colour=kind.colour,
        public=kind.public,
        subject_kinds=list(kind.subject_kinds),
        legal_basis=kind.legal_basis,
        validity_months=int(parameter_service.get(session, kind.validity_months_parameter)),
        publicity_workdays=int(parameter_service.get(session, kind.publicity_workdays_parameter)),
        deciders=list(kind.deciders),
        automatic=automatic,
    )


def entry_read(entry: ListEntry) -> ListEntryRead:
    return ListEntryRead.model_validate(entry)


def entry_detail(session: Session, entry: ListEntry) -> ListEntryDetail:
    timeline = [
        TimelineItem.model_validate(event)
        for event in audit_service.timeline(session, ENTITY, entry.id)
    ]
    return ListEntryDetail(**entry_read(entry).model_dump(), timeline=timeline)


def public_entry(entry: ListEntry, subject: Subject) -> PublicListEntry:
    person = identifies_by_person(subject.kind, subject.merchant_form)
    return PublicListEntry(
        id=entry.id,
        list_kind=entry.list_kind,
        status=entry.status,
        subject_id=subject.id,
        subject_name=public_name(subject),
        subject_kind=subject.kind,
        uscc=None if person else subject.uscc,
        region_code=subject.region_code,
        legal_basis=entry.legal_basis,
        reason=public_text(entry.reason, subject) or "",
        publicity_from=entry.publicity_from,
        publicity_until=entry.publicity_until,
        effective_from=entry.effective_from,
        valid_until=entry.valid_until,
    )
