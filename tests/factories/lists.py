"""Lists: a listing service on a fixed day, entries in any status, grades set directly.

The scoring service is built elsewhere; criteria read `SubjectGrade`, so tests write it here.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM, Principal
from ecredit.kit.clock import FixedClock
from ecredit.listing.schemas import ListEntryCreate
from ecredit.listing.service import ListingService
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.scoring import Evaluation, Grade, SubjectGrade
from tests.factories.records import noon

DAY = date(2026, 3, 2)  # a Monday, no holiday near it
BASIS = "《关于全面加强电子商务领域诚信建设的指导意见》（发改财金〔2016〕2794号）"


def service_on(day: date = DAY) -> ListingService:
    return ListingService(clock=FixedClock(noon(day)))


def proposal(subject_id: int, list_kind: str = "ecommerce_serious_dishonesty") -> ListEntryCreate:
    return ListEntryCreate(
        subject_id=subject_id, list_kind=list_kind, legal_basis=BASIS, reason="多次恶意刷单炒信"
    )


def propose(
    session: Session,
    service: ListingService,
    subject_id: int,
    list_kind: str = "ecommerce_serious_dishonesty",
    by: Principal = SYSTEM,
) -> ListEntry:
    return service.propose(session, proposal(subject_id, list_kind), by)


def entry_in(
    session: Session,
    service: ListingService,
    subject_id: int,
    status: ListStatus,
    list_kind: str = "ecommerce_serious_dishonesty",
) -> ListEntry:
    """An entry put in `status` directly, with dates that let every onward move pass its guard
    on the service's day (publicity and validity already over)."""
    entry = propose(session, service, subject_id, list_kind)
    today = service.today()
    entry.status = status
    if status not in (ListStatus.PROPOSED, ListStatus.UNDER_REVIEW):
        entry.publicity_from, entry.publicity_until = today - timedelta(20), today - timedelta(10)
    if status in (ListStatus.EFFECTIVE, ListStatus.EXPIRED, ListStatus.REMOVED):
        entry.effective_from, entry.valid_until = today - timedelta(400), today - timedelta(1)
    session.flush()
    return entry


def grade(
    session: Session, subject_id: int, value: Grade, since: date, score: int = 900
) -> SubjectGrade:
    evaluation = Evaluation(
        subject_id=subject_id,
        model_code="test",
        model_version=1,
        as_of=since,
        score=score,
        grade=value,
        contributions=[],
    )
    session.add(evaluation)
    session.flush()
    row = SubjectGrade(
        subject_id=subject_id,
        evaluation_id=evaluation.id,
        score=score,
        grade=value,
        grade_since=since,
    )
    session.add(row)
    session.flush()
    return row
