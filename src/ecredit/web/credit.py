"""Credit files and commitments as the portal shows them: the public file and public
commitments of a subject, the internal file for staff, and labels in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request

from ecredit.commitment import views as commitment_views
from ecredit.commitment.deps import get_commitments
from ecredit.commitment.service import CommitmentService
from ecredit.record import views as record_views
from ecredit.record.service import RecordService
from ecredit.subject.service import identifies_by_person, subject_service
from ecredit.web import i18n


def records_of(request: Request) -> RecordService:
    records: RecordService = request.app.state.records
    return records


def commitments_of(request: Request) -> CommitmentService:
    """The commitment service exactly as the API builds it."""
    return get_commitments(request)


def type_label(request: Request) -> Callable[[str], str]:
    """A record type's name in the reader's language (the catalogue has both)."""
    catalog = records_of(request).catalog
    english = i18n.resolve_language(request) == "en"

    def label(code: str) -> str:
        if code not in catalog:
            return code
        spec = catalog.get(code)
        return spec.name_en if english else spec.name_zh

    return label


def public_credit(request: Request, session: Session, subject_id: int) -> dict[str, Any]:
    """The public file, the public commitments, and whether its records have public proofs."""
    records = records_of(request)
    today = records.today()
    states = records.file(session, subject_id)
    subject = subject_service.get(session, subject_id)
    return {
        "file": record_views.public_file(session, records.catalog, subject_id, states, today),
        "commitments": commitment_views.public_commitments(session, records, subject_id, today),
        "provable": not identifies_by_person(subject.kind, subject.merchant_form),
        "type_name": type_label(request),
    }


def internal_credit(request: Request, session: Session, subject_id: int) -> dict[str, Any]:
    """Every record with its history, and every commitment, for authorised staff."""
    records = records_of(request)
    today = records.today()
    states = records.file(session, subject_id)
    service = commitments_of(request)
    subject = subject_service.get(session, subject_id)
    return {
        "records": [
            record_views.record_read(session, records.catalog, state, today) for state in states
        ],
        "commitments": [
            commitment_views.commitment_read(c) for c in service.of_subject(session, subject_id)
        ],
        "templates": [
            spec for spec in service.templates.current() if subject.kind in spec.subject_kinds
        ],
        "type_name": type_label(request),
    }
