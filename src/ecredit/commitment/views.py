"""Commitments and templates as staff and the public see them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ecredit.commitment.repository import commitment_repository
from ecredit.commitment.schemas import CommitmentRead, PublicCommitment, TemplateRead
from ecredit.commitment.template_spec import TemplateSpec
from ecredit.kit.clock import local_date
from ecredit.models.commitment import Commitment, CommitmentStatus
from ecredit.record.service import RecordService
from ecredit.subject.service import subject_service
from ecredit.subject.views import public_name

PUBLIC_STATUSES = (CommitmentStatus.ACTIVE, CommitmentStatus.KEPT, CommitmentStatus.BREACHED)


def commitment_read(commitment: Commitment) -> CommitmentRead:
    return CommitmentRead.model_validate(commitment)


def template_read(spec: TemplateSpec) -> TemplateRead:
    return TemplateRead.model_validate(spec)


def public_commitments(
    session: Session, records: RecordService, subject_id: int, today: date
) -> list[PublicCommitment]:
    """Active, kept and breached commitments. A kept or breached one is shown while its record
    is: a record revoked, repaired or past its display window takes the outcome with it."""
    subject = subject_service.get(session, subject_id)
    name = public_name(subject)
    shown: list[PublicCommitment] = []
    for commitment in commitment_repository.of_subject(session, subject_id, PUBLIC_STATUSES):
        outcome_date = None
        if commitment.outcome_record_id is not None:
            state = records.state(session, commitment.outcome_record_id)
            if not state.is_public(today):
                continue
            outcome_date = state.current.decision_date
        shown.append(
            PublicCommitment(
                id=commitment.id,
                subject_id=subject.id,
                subject_name=name,
                template_code=commitment.template_code,
                template_version=commitment.template_version,
                title=commitment.title,
                text=commitment.text,
                status=commitment.status,
                term_start=commitment.term_start,
                term_end=commitment.term_end,
                signed_on=local_date(commitment.signed_at),
                outcome_date=outcome_date,
                outcome_record_id=commitment.outcome_record_id,
            )
        )
    return shown
