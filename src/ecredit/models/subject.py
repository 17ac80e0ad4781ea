"""Subjects of credit supervision, their shops, real-name verification and claimed websites."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecredit.kit.types import StrEnumType, UTCDateTime
from ecredit.kit.workflow import TransitionTable
from ecredit.models.base import Base, Timestamped, utcnow


class SubjectKind(StrEnum):
    PLATFORM = "platform"
    MERCHANT = "merchant"
    LOGISTICS = "logistics"
    AGENCY = "agency"
    MANUFACTURER = "manufacturer"
    PRACTITIONER = "practitioner"


class MerchantForm(StrEnum):
    """The legal form of a merchant: it decides which identifier is required."""

    ENTERPRISE = "enterprise"  # 企业: unified social credit code
    INDIVIDUAL_BUSINESS = "individual_business"  # 个体工商户: unified social credit code
    NATURAL_PERSON = "natural_person"  # 自然人: resident identity number


class VerificationStatus(StrEnum):
    UNVERIFIED = "unverified"
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    REVOKED = "revoked"


class VerificationMethod(StrEnum):
    LICENCE_CHECK = "licence_check"  # 营业执照核验
    IDENTITY_CHECK = "identity_check"  # 身份核验
    BANK_CHECK = "bank_check"  # 银行卡核验
    PHONE_CHECK = "phone_check"  # 手机号核验


VERIFICATION_TRANSITIONS = TransitionTable[VerificationStatus](
    name="real-name verification",
    allowed={
        VerificationStatus.UNVERIFIED: frozenset({VerificationStatus.PENDING}),
        VerificationStatus.PENDING: frozenset(
            {VerificationStatus.VERIFIED, VerificationStatus.REJECTED}
        ),
        VerificationStatus.VERIFIED: frozenset({VerificationStatus.REVOKED}),
        # A rejected or revoked subject may apply again with new evidence.
        VerificationStatus.REJECTED: frozenset({VerificationStatus.PENDING}),
        VerificationStatus.REVOKED: frozenset({VerificationStatus.PENDING}),
    },
)
"""Real-name verification: unverified → pending → verified / rejected; verified → revoked;
a rejected or revoked subject may re-apply (→ pending)."""


class Subject(Timestamped, Base):
    """Anyone whose credit is supervised: a platform, merchant, carrier, agency, manufacturer or
    practitioner. Personal identifiers are stored sealed, with a blind index for exact lookup."""

    __tablename__ = "subject"
    __audited__ = True
    __table_args__ = (Index("ix_subject_kind_status", "kind", "verification_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SubjectKind] = mapped_column(StrEnumType(SubjectKind))
    merchant_form: Mapped[MerchantForm | None] = mapped_column(StrEnumType(MerchantForm))
    name: Mapped[str] = mapped_column(String(200), index=True)
    name_pinyin: Mapped[str] = mapped_column(String(800), default="")
    name_initials: Mapped[str] = mapped_column(String(200), default="", index=True)
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    id_number_sealed: Mapped[str | None] = mapped_column(Text)
    id_number_index: Mapped[str | None] = mapped_column(String(64), unique=True)
    phone_sealed: Mapped[str | None] = mapped_column(Text)
    phone_index: Mapped[str | None] = mapped_column(String(64), index=True)
    legal_representative: Mapped[str | None] = mapped_column(String(80))
    region_code: Mapped[str | None] = mapped_column(String(6))
    address: Mapped[str | None] = mapped_column(String(300))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id"), index=True)
    verification_status: Mapped[VerificationStatus] = mapped_column(
        StrEnumType(VerificationStatus), default=VerificationStatus.UNVERIFIED
    )
    verification_method: Mapped[VerificationMethod | None] = mapped_column(
        StrEnumType(VerificationMethod)
    )
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))

    employer: Mapped[Subject | None] = relationship(remote_side=[id])


class Shop(Timestamped, Base):
    """A merchant's shop on a platform, identified by the platform's own shop id."""

    __tablename__ = "shop"
    __audited__ = True
    __table_args__ = (UniqueConstraint("platform_id", "shop_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    shop_code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))

    platform: Mapped[Subject] = relationship(foreign_keys=[platform_id], lazy="joined")


class VerificationEvent(Base):
    """One step of a subject's real-name verification, kept forever."""

    __tablename__ = "verification_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    from_status: Mapped[VerificationStatus] = mapped_column(StrEnumType(VerificationStatus))
    to_status: Mapped[VerificationStatus] = mapped_column(StrEnumType(VerificationStatus))
    method: Mapped[VerificationMethod | None] = mapped_column(StrEnumType(VerificationMethod))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    evidence_ref: Mapped[str | None] = mapped_column(String(300))
    reason: Mapped[str | None] = mapped_column(String(500))
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DomainClaimStatus(StrEnum):
    CLAIMED = "claimed"
    VERIFIED = "verified"
    FAILED = "failed"
    REVOKED = "revoked"


class DomainClaim(Timestamped, Base):
    """A merchant's claim to control a website, proven by serving a token at a well-known URL."""

    __tablename__ = "domain_claim"
    __audited__ = True
    __table_args__ = (UniqueConstraint("subject_id", "domain"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    domain: Mapped[str] = mapped_column(String(253), index=True)
    token: Mapped[str] = mapped_column(String(80))
    status: Mapped[DomainClaimStatus] = mapped_column(
        StrEnumType(DomainClaimStatus), default=DomainClaimStatus.CLAIMED
    )
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))


class DomainFlag(Base):
    """A domain that looks like a verified one (edit distance or homoglyphs): possible phishing."""

    __tablename__ = "domain_flag"
    __table_args__ = (UniqueConstraint("domain", "resembles"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), index=True)
    resembles: Mapped[str] = mapped_column(String(253))
    resembles_subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"))
    rule: Mapped[str] = mapped_column(String(40))  # "edit_distance" | "homoglyph"
    distance: Mapped[int]
    source: Mapped[str] = mapped_column(String(20))  # "claim" | "report"
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
