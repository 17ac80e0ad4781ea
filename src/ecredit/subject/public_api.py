"""Public routes of the registry: no credentials, masked personal data only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ecredit.authz.deps import SessionDep, VaultDep
from ecredit.parameters.service import parameter_service
from ecredit.subject import views
from ecredit.subject.schemas import (
    DomainReport,
    DomainVerdict,
    LookalikeRead,
    SearchHit,
    SubjectPublic,
    VerificationMark,
)
from ecredit.subject.search import search
from ecredit.subject.service import subject_service
from ecredit.subject.website import website_service

router = APIRouter(prefix="/public", tags=["public"])


@router.get("/search", response_model=list[SearchHit])
def public_search(
    session: SessionDep,
    vault: VaultDep,
    q: Annotated[str, Query(min_length=2, max_length=100, description="name, code or pinyin")],
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> list[SearchHit]:
    """The query window: by exact code, name, pinyin, initials, or fuzzy name, ranked."""
    min_score = parameter_service.get(session, "search.fuzzy_min_score")
    return [
        views.search_hit(hit, public=True) for hit in search(session, vault, q, limit, min_score)
    ]


@router.get("/subjects/by-code/{code}", response_model=SubjectPublic)
def public_subject_by_code(code: str, session: SessionDep, vault: VaultDep) -> SubjectPublic:
    return views.public_view(session, vault, subject_service.find_by_code(session, code))


@router.get("/subjects/{subject_id}", response_model=SubjectPublic)
def public_subject(subject_id: int, session: SessionDep, vault: VaultDep) -> SubjectPublic:
    return views.public_view(session, vault, subject_service.get(session, subject_id))


@router.get("/subjects/{subject_id}/verification-mark", response_model=VerificationMark)
def public_verification_mark(subject_id: int, session: SessionDep) -> VerificationMark:
    """The real-name verification mark a shop page shows (身份核验标识)."""
    return views.verification_mark(session, subject_service.get(session, subject_id))


@router.post("/domain-reports", response_model=DomainVerdict)
def report_domain(data: DomainReport, session: SessionDep) -> DomainVerdict:
    """Is this website genuine? Verified owner, or the verified sites it imitates (flagged)."""
    max_distance = parameter_service.get(session, "domain.lookalike_max_distance")
    domain, owner, lookalikes = website_service.verdict(session, data.domain, max_distance)
    owner_subject = subject_service.get(session, owner.subject_id) if owner else None
    return DomainVerdict(
        domain=domain,
        verified=owner is not None,
        owner_id=owner_subject.id if owner_subject else None,
        owner_name=views.public_name(owner_subject) if owner_subject else None,
        lookalikes=[LookalikeRead.model_validate(i, from_attributes=True) for i in lookalikes],
    )
