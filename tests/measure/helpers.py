"""Small factories for the measure tests: list entries and grades written through their models
(the listing and scoring services are built elsewhere), and organisations with API keys."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlalchemy.orm import Session

from ecredit.authz.principals import Scope
from ecredit.kit.clock import local_date
from ecredit.models.base import utcnow
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.org import Organisation, OrgKind
from ecredit.models.scoring import Evaluation, Grade, SubjectGrade
from ecredit.org.schemas import ApiKeyCreate, OrganisationCreate
from ecredit.org.service import organisation_service
from tests.factories.api import Api

_serial = itertools.count(1)
CHECK_SCOPES = (Scope.CHECK_READ, Scope.MEASURE_FEEDBACK, Scope.RECORD_READ)


def today() -> date:
    return local_date(utcnow())


def list_entry(
    session: Session,
    subject_id: int,
    list_kind: str = "ecommerce_serious_dishonesty",
    status: ListStatus = ListStatus.EFFECTIVE,
    effective_from: date | None = None,
    valid_until: date | None = None,
) -> ListEntry:
    effective = status in {ListStatus.EFFECTIVE, ListStatus.EXPIRED, ListStatus.REMOVED}
    entry = ListEntry(
        subject_id=subject_id,
        list_kind=list_kind,
        status=status,
        origin="decision",
        reason="测试",
        effective_from=effective_from or (today() - timedelta(days=1) if effective else None),
        valid_until=valid_until,
    )
    session.add(entry)
    session.flush()
    return entry


def grade(session: Session, subject_id: int, value: Grade = Grade.B, score: int = 700) -> None:
    evaluation = Evaluation(
        subject_id=subject_id,
        model_code="test",
        model_version=1,
        as_of=today(),
        score=score,
        grade=value,
        contributions=[],
    )
    session.add(evaluation)
    session.flush()
    current = session.get(SubjectGrade, subject_id)
    if current is None:
        current = SubjectGrade(subject_id=subject_id, grade_since=today())
        session.add(current)
    current.evaluation_id, current.score, current.grade = evaluation.id, score, value
    current.evaluated_at = utcnow()
    session.flush()


def organisation(session: Session, kind: OrgKind, department: str | None = None) -> Organisation:
    data = OrganisationCreate(name=f"措施测试机构{next(_serial)}", kind=kind, department=department)
    return organisation_service.create(session, data)


def org_key(
    api: Api,
    kind: OrgKind,
    department: str | None = None,
    scopes: tuple[Scope, ...] = CHECK_SCOPES,
) -> tuple[int, dict[str, str]]:
    """(organisation id, headers with a new API key of an organisation of that kind)."""
    with api.db.unit_of_work() as session:
        org = organisation(session, kind, department)
        data = ApiKeyCreate(organisation_id=org.id, name=f"k{next(_serial)}", scopes=list(scopes))
        _key, plaintext = organisation_service.create_api_key(session, data)
    return org.id, {"X-API-Key": plaintext}
