"""Turn subjects into their internal and public views. Personal data only leaves masked."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ecredit.audit.schemas import TimelineRead
from ecredit.kit.crypto import Vault
from ecredit.kit.masking import PersonalField, mask
from ecredit.models.audit import ChangeRecord, TimelineEvent
from ecredit.models.subject import DomainClaimStatus, Shop, Subject, VerificationStatus
from ecredit.subject.repository import domain_repository, subject_repository
from ecredit.subject.schemas import (
    ChangeRead,
    SearchHit,
    ShopRead,
    SubjectHistory,
    SubjectPublic,
    SubjectRead,
    VerificationMark,
)
from ecredit.subject.search import Hit
from ecredit.subject.service import identifies_by_person


def verification_mark(session: Session, subject: Subject) -> VerificationMark:
    return VerificationMark(
        verified=subject.verification_status is VerificationStatus.VERIFIED,
        status=subject.verification_status,
        method=subject.verification_method,
        verified_by=subject_repository.organisation_name(session, subject.verified_by_id),
        verified_at=subject.verified_at,
    )


def shop_read(shop: Shop) -> ShopRead:
    return ShopRead(
        id=shop.id,
        platform_id=shop.platform_id,
        platform_name=shop.platform.name,
        merchant_id=shop.merchant_id,
        shop_code=shop.shop_code,
        name=shop.name,
        url=shop.url,
    )


def internal_view(session: Session, vault: Vault, subject: Subject) -> SubjectRead:
    id_number = phone = None
    if subject.id_number_sealed:
        id_number = vault.cipher.decrypt(subject.id_number_sealed, "subject.id_number")
    if subject.phone_sealed:
        phone = vault.cipher.decrypt(subject.phone_sealed, "subject.phone")
    return SubjectRead(
        id=subject.id,
        kind=subject.kind,
        merchant_form=subject.merchant_form,
        name=subject.name,
        uscc=subject.uscc,
        id_number_masked=mask(PersonalField.ID_NUMBER, id_number),
        phone_masked=mask(PersonalField.PHONE, phone),
        legal_representative=subject.legal_representative,
        region_code=subject.region_code,
        address=subject.address,
        employer_id=subject.employer_id,
        verification=verification_mark(session, subject),
        created_at=subject.created_at,
    )


def public_name(subject: Subject) -> str:
    """A natural person's name is personal data; a business's name is not."""
    if identifies_by_person(subject.kind, subject.merchant_form):
        return mask(PersonalField.PERSON_NAME, subject.name) or ""
    return subject.name


def public_view(session: Session, vault: Vault, subject: Subject) -> SubjectPublic:
    id_number = None
    if subject.id_number_sealed:
        id_number = vault.cipher.decrypt(subject.id_number_sealed, "subject.id_number")
    verified_domains = [
        claim.domain
        for claim in domain_repository.claims_of(session, subject.id)
        if claim.status is DomainClaimStatus.VERIFIED
    ]
    return SubjectPublic(
        id=subject.id,
        kind=subject.kind,
        merchant_form=subject.merchant_form,
        name=public_name(subject),
        uscc=subject.uscc,
        id_number=mask(PersonalField.ID_NUMBER, id_number),
        legal_representative=mask(PersonalField.PERSON_NAME, subject.legal_representative),
        region_code=subject.region_code,
        verification=verification_mark(session, subject),
        shops=[shop_read(shop) for shop in subject_repository.shops_of(session, subject.id)],
        verified_domains=verified_domains,
    )


def search_hit(hit: Hit, public: bool) -> SearchHit:
    subject = hit.subject
    return SearchHit(
        id=subject.id,
        kind=subject.kind,
        name=public_name(subject) if public else subject.name,
        uscc=subject.uscc,
        verified=subject.verification_status is VerificationStatus.VERIFIED,
        score=hit.score,
        matched_by=hit.matched_by,
    )


def history(changes: list[ChangeRecord], timeline: list[TimelineEvent]) -> SubjectHistory:
    return SubjectHistory(
        changes=[ChangeRead.model_validate(change) for change in changes],
        timeline=[TimelineRead.model_validate(event) for event in timeline],
    )
