"""Thin JSON routes of the registry: authorise, call the service, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ecredit.audit.service import audit_service
from ecredit.authz.deps import Requires, SessionDep, SettingsDep, VaultDep
from ecredit.authz.principals import Principal, Scope
from ecredit.kit.paging import MAX_PAGE_SIZE, PageRequest
from ecredit.kit.schemas import PageOut
from ecredit.models.subject import SubjectKind, VerificationStatus
from ecredit.parameters.service import parameter_service
from ecredit.subject import views, workflow
from ecredit.subject.schemas import (
    ClaimAnswer,
    DomainClaimCreate,
    DomainClaimRead,
    LookalikeRead,
    PersonalData,
    SearchHit,
    ShopCreate,
    ShopRead,
    SubjectCreate,
    SubjectHistory,
    SubjectRead,
    SubjectUpdate,
    VerificationDecide,
    VerificationEventRead,
    VerificationSubmit,
)
from ecredit.subject.search import search
from ecredit.subject.service import subject_service
from ecredit.subject.website import website_service

router = APIRouter(prefix="/subjects", tags=["registry"])
PageNumber = Annotated[int, Query(ge=1)]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


@router.post("", status_code=201, response_model=SubjectRead)
def register_subject(
    data: SubjectCreate,
    session: SessionDep,
    vault: VaultDep,
    principal: Principal = Requires(Scope.SUBJECT_WRITE),
) -> SubjectRead:
    subject = subject_service.register(session, vault, data, principal)
    return views.internal_view(session, vault, subject)


@router.get("", response_model=PageOut[SubjectRead])
def list_subjects(
    session: SessionDep,
    vault: VaultDep,
    kind: SubjectKind | None = None,
    status: VerificationStatus | None = None,
    page: PageNumber = 1,
    size: PageSize = 20,
    _: Principal = Requires(Scope.SUBJECT_READ),
) -> PageOut[SubjectRead]:
    found = subject_service.page(session, PageRequest(page, size), kind, status)
    items = [views.internal_view(session, vault, subject) for subject in found.items]
    return PageOut(items=items, total=found.total, page=found.page, size=found.size)


@router.get("/search", response_model=list[SearchHit])
def search_subjects(
    session: SessionDep,
    vault: VaultDep,
    q: Annotated[str, Query(min_length=2, max_length=100)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    principal: Principal = Requires(Scope.SUBJECT_READ),
) -> list[SearchHit]:
    """Staff search; callers holding personal:read may also search by ID number."""
    min_score = parameter_service.get(session, "search.fuzzy_min_score")
    hits = search(
        session, vault, q, limit, min_score, allow_id_number=principal.has(Scope.PERSONAL_READ)
    )
    return [views.search_hit(hit, public=False) for hit in hits]


@router.get("/{subject_id}", response_model=SubjectRead)
def get_subject(
    subject_id: int,
    session: SessionDep,
    vault: VaultDep,
    _: Principal = Requires(Scope.SUBJECT_READ),
) -> SubjectRead:
    return views.internal_view(session, vault, subject_service.get(session, subject_id))


@router.patch("/{subject_id}", response_model=SubjectRead)
def update_subject(
    subject_id: int,
    data: SubjectUpdate,
    session: SessionDep,
    vault: VaultDep,
    _: Principal = Requires(Scope.SUBJECT_WRITE),
) -> SubjectRead:
    subject = subject_service.update(session, vault, subject_id, data)
    return views.internal_view(session, vault, subject)


@router.get("/{subject_id}/personal-data", response_model=PersonalData)
def read_personal_data(
    subject_id: int,
    session: SessionDep,
    vault: VaultDep,
    purpose: Annotated[str, Query(min_length=2, max_length=200)],
    _: Principal = Requires(Scope.PERSONAL_READ),
) -> PersonalData:
    """Unmasked ID and phone numbers. The purpose is required and every access is logged."""
    return subject_service.personal_data(session, vault, subject_id, purpose)


@router.post("/{subject_id}/verification", response_model=VerificationEventRead)
def submit_verification(
    subject_id: int,
    data: VerificationSubmit,
    session: SessionDep,
    principal: Principal = Requires(Scope.SUBJECT_WRITE),
) -> VerificationEventRead:
    subject = subject_service.get(session, subject_id)
    event = workflow.submit(session, subject, data.method, data.evidence_ref, principal)
    return VerificationEventRead.model_validate(event)


@router.post("/{subject_id}/verification/decision", response_model=VerificationEventRead)
def decide_verification(
    subject_id: int,
    data: VerificationDecide,
    session: SessionDep,
    principal: Principal = Requires(Scope.SUBJECT_VERIFY),
) -> VerificationEventRead:
    subject = subject_service.get(session, subject_id)
    event = workflow.decide(session, subject, data.decision, principal, data.reason)
    return VerificationEventRead.model_validate(event)


@router.get("/{subject_id}/verification/events", response_model=list[VerificationEventRead])
def verification_events(
    subject_id: int, session: SessionDep, _: Principal = Requires(Scope.SUBJECT_READ)
) -> list[VerificationEventRead]:
    subject = subject_service.get(session, subject_id)
    events = subject_service.verification_events(session, subject.id)
    return [VerificationEventRead.model_validate(event) for event in events]


@router.get("/{subject_id}/history", response_model=SubjectHistory)
def subject_history(
    subject_id: int, session: SessionDep, _: Principal = Requires(Scope.AUDIT_READ)
) -> SubjectHistory:
    """Every automatic change record and every timeline event of the subject."""
    subject = subject_service.get(session, subject_id)
    return views.history(
        audit_service.changes(session, "subject", subject.id),
        audit_service.timeline(session, "subject", subject.id),
    )


@router.get("/{subject_id}/shops", response_model=list[ShopRead])
def list_shops(
    subject_id: int, session: SessionDep, _: Principal = Requires(Scope.SUBJECT_READ)
) -> list[ShopRead]:
    subject = subject_service.get(session, subject_id)
    return [views.shop_read(shop) for shop in subject_service.shops(session, subject.id)]


@router.post("/{subject_id}/domains", status_code=201, response_model=ClaimAnswer)
def claim_domain(
    subject_id: int,
    data: DomainClaimCreate,
    session: SessionDep,
    _: Principal = Requires(Scope.SUBJECT_WRITE),
) -> ClaimAnswer:
    """Start proving control of a website: serve the returned token at proof_path."""
    max_distance = parameter_service.get(session, "domain.lookalike_max_distance")
    claim, lookalikes = website_service.claim(session, subject_id, data.domain, max_distance)
    return ClaimAnswer(
        claim=DomainClaimRead.model_validate(claim),
        lookalikes=[
            LookalikeRead.model_validate(item, from_attributes=True) for item in lookalikes
        ],
    )


shops_router = APIRouter(tags=["registry"])


@shops_router.post("/shops", status_code=201, response_model=ShopRead)
def add_shop(
    data: ShopCreate, session: SessionDep, principal: Principal = Requires(Scope.SUBJECT_WRITE)
) -> ShopRead:
    """Register a shop; a platform's key may only register shops on its own platform."""
    return views.shop_read(subject_service.add_shop(session, data, principal))


@shops_router.post("/domain-claims/{claim_id}/check", response_model=DomainClaimRead)
def check_domain(
    claim_id: int,
    session: SessionDep,
    settings: SettingsDep,
    _: Principal = Requires(Scope.SUBJECT_WRITE),
) -> DomainClaimRead:
    """Fetch the proof file now; the claim becomes verified or failed (with the reason)."""
    return DomainClaimRead.model_validate(website_service.check(session, settings, claim_id))


@shops_router.get("/domain-flags", response_model=list[LookalikeRead])
def domain_flags(
    session: SessionDep, _: Principal = Requires(Scope.SUBJECT_READ)
) -> list[LookalikeRead]:
    """Domains flagged as look-alikes of verified websites, newest first."""
    return [
        LookalikeRead.model_validate(flag, from_attributes=True)
        for flag in website_service.flags(session)
    ]
