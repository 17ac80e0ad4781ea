"""Every query of the registry."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ecredit.kit.paging import Page, PageRequest
from ecredit.models.org import Organisation
from ecredit.models.subject import (
    DomainClaim,
    DomainClaimStatus,
    DomainFlag,
    Shop,
    Subject,
    SubjectKind,
    VerificationEvent,
    VerificationStatus,
)


class SubjectRepository:
    def get(self, session: Session, subject_id: int) -> Subject | None:
        return session.get(Subject, subject_id)

    def by_uscc(self, session: Session, uscc: str) -> Subject | None:
        return session.scalar(select(Subject).where(Subject.uscc == uscc))

    def by_usccs(self, session: Session, codes: Sequence[str]) -> dict[str, Subject]:
        """Subjects by code, in one query (codes compared as given, upper case)."""
        wanted = {code.strip().upper() for code in codes}
        if not wanted:
            return {}
        query = select(Subject).where(Subject.uscc.in_(wanted))
        found = {subject.uscc: subject for subject in session.scalars(query) if subject.uscc}
        return {
            code: found[code.strip().upper()] for code in codes if code.strip().upper() in found
        }

    def by_id_number_index(self, session: Session, index: str) -> Subject | None:
        return session.scalar(select(Subject).where(Subject.id_number_index == index))

    def page(
        self,
        session: Session,
        request: PageRequest,
        kind: SubjectKind | None = None,
        status: VerificationStatus | None = None,
    ) -> Page[Subject]:
        query = select(Subject)
        if kind is not None:
            query = query.where(Subject.kind == kind)
        if status is not None:
            query = query.where(Subject.verification_status == status)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(
            query.order_by(Subject.id).offset(request.offset).limit(request.size)
        )
        return Page(list(rows), total, request.page, request.size)

    def name_candidates(self, session: Session, text: str, limit: int) -> Sequence[Subject]:
        """Subjects whose name contains `text` or whose pinyin / initials contain it."""
        # Pinyin and initials are stored without separators: "ming da" must find "mingda".
        pattern = f"%{text.lower().replace(' ', '')}%"
        query = (
            select(Subject)
            .where(
                or_(
                    Subject.name.contains(text, autoescape=True),
                    Subject.name_initials.like(pattern),
                    Subject.name_pinyin.like(pattern),
                )
            )
            .order_by(func.length(Subject.name), Subject.id)
            .limit(limit)
        )
        return session.scalars(query).all()

    def all_names(self, session: Session) -> list[tuple[int, str]]:
        return [(row.id, row.name) for row in session.execute(select(Subject.id, Subject.name))]

    def many(self, session: Session, ids: Sequence[int]) -> dict[int, Subject]:
        if not ids:
            return {}
        return {s.id: s for s in session.scalars(select(Subject).where(Subject.id.in_(ids)))}

    def shops_of(self, session: Session, merchant_id: int) -> list[Shop]:
        query = select(Shop).where(Shop.merchant_id == merchant_id).order_by(Shop.id)
        return list(session.scalars(query))

    def shop_by_code(self, session: Session, platform_id: int, shop_code: str) -> Shop | None:
        query = select(Shop).where(Shop.platform_id == platform_id, Shop.shop_code == shop_code)
        return session.scalar(query)

    def verification_events(self, session: Session, subject_id: int) -> list[VerificationEvent]:
        query = (
            select(VerificationEvent)
            .where(VerificationEvent.subject_id == subject_id)
            .order_by(VerificationEvent.id)
        )
        return list(session.scalars(query))

    def organisation_name(self, session: Session, org_id: int | None) -> str | None:
        if org_id is None:
            return None
        return session.scalar(select(Organisation.name).where(Organisation.id == org_id))


class DomainRepository:
    def claim(self, session: Session, claim_id: int) -> DomainClaim | None:
        return session.get(DomainClaim, claim_id)

    def claim_of(self, session: Session, subject_id: int, domain: str) -> DomainClaim | None:
        query = select(DomainClaim).where(
            DomainClaim.subject_id == subject_id, DomainClaim.domain == domain
        )
        return session.scalar(query)

    def claims_of(self, session: Session, subject_id: int) -> list[DomainClaim]:
        query = select(DomainClaim).where(DomainClaim.subject_id == subject_id)
        return list(session.scalars(query.order_by(DomainClaim.id)))

    def verified(self, session: Session) -> list[DomainClaim]:
        query = select(DomainClaim).where(DomainClaim.status == DomainClaimStatus.VERIFIED)
        return list(session.scalars(query))

    def verified_domain(self, session: Session, domain: str) -> DomainClaim | None:
        query = select(DomainClaim).where(
            DomainClaim.domain == domain, DomainClaim.status == DomainClaimStatus.VERIFIED
        )
        return session.scalar(query)

    def flag(self, session: Session, domain: str, resembles: str) -> DomainFlag | None:
        query = select(DomainFlag).where(
            DomainFlag.domain == domain, DomainFlag.resembles == resembles
        )
        return session.scalar(query)

    def flags(self, session: Session) -> list[DomainFlag]:
        return list(session.scalars(select(DomainFlag).order_by(DomainFlag.id.desc())))


subject_repository = SubjectRepository()
domain_repository = DomainRepository()
