"""Pydantic I/O models of the registry. Public models carry only masked personal data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ecredit.audit.schemas import TimelineRead
from ecredit.models.subject import (
    DomainClaimStatus,
    MerchantForm,
    SubjectKind,
    VerificationMethod,
    VerificationStatus,
)


class SubjectCreate(BaseModel):
    kind: SubjectKind
    merchant_form: MerchantForm | None = Field(
        None, description="Required for merchants: enterprise, individual business or person."
    )
    name: str = Field(min_length=2, max_length=200)
    uscc: str | None = Field(None, description="Unified social credit code (GB 32100-2015).")
    id_number: str | None = Field(None, description="Resident identity number (GB 11643-1999).")
    phone: str | None = None
    legal_representative: str | None = Field(None, max_length=80)
    region_code: str | None = Field(None, pattern=r"^\d{6}$")
    address: str | None = Field(None, max_length=300)
    employer_id: int | None = Field(None, description="For practitioners: the employing subject.")


class SubjectUpdate(BaseModel):
    phone: str | None = None
    address: str | None = Field(None, max_length=300)
    legal_representative: str | None = Field(None, max_length=80)
    region_code: str | None = Field(None, pattern=r"^\d{6}$")


class VerificationMark(BaseModel):
    """The public real-name verification mark (身份核验标识)."""

    verified: bool
    status: VerificationStatus
    method: VerificationMethod | None
    verified_by: str | None
    verified_at: datetime | None


class ShopCreate(BaseModel):
    platform_id: int
    merchant_id: int
    shop_code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    url: str | None = Field(None, max_length=500)


class ShopRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    platform_id: int
    platform_name: str
    merchant_id: int
    shop_code: str
    name: str
    url: str | None


class SubjectRead(BaseModel):
    """The internal view for authorised staff: personal data still masked; the unmasked values
    come only from the personal-data endpoint, which logs the access."""

    id: int
    kind: SubjectKind
    merchant_form: MerchantForm | None
    name: str
    uscc: str | None
    id_number_masked: str | None
    phone_masked: str | None
    legal_representative: str | None
    region_code: str | None
    address: str | None
    employer_id: int | None
    verification: VerificationMark
    created_at: datetime


class SubjectPublic(BaseModel):
    """What anyone may see: personal data masked by the one masking function."""

    id: int
    kind: SubjectKind
    merchant_form: MerchantForm | None
    name: str
    uscc: str | None
    id_number: str | None
    legal_representative: str | None
    region_code: str | None
    verification: VerificationMark
    shops: list[ShopRead]
    verified_domains: list[str]


class PersonalData(BaseModel):
    id_number: str | None
    phone: str | None


class VerificationSubmit(BaseModel):
    method: VerificationMethod
    evidence_ref: str = Field(min_length=1, max_length=300)


class VerificationDecide(BaseModel):
    decision: VerificationStatus = Field(
        description="verified, rejected (from pending) or revoked (from verified)"
    )
    reason: str | None = Field(None, max_length=500)


class VerificationEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: VerificationStatus
    to_status: VerificationStatus
    method: VerificationMethod | None
    organisation_id: int | None
    evidence_ref: str | None
    reason: str | None
    actor: str
    at: datetime


class SearchHit(BaseModel):
    id: int
    kind: SubjectKind
    name: str
    uscc: str | None
    verified: bool
    score: float
    matched_by: str = Field(description="code, name, pinyin, initials or fuzzy")


class DomainClaimCreate(BaseModel):
    domain: str = Field(min_length=3, max_length=253)


class DomainClaimRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subject_id: int
    domain: str
    token: str
    status: DomainClaimStatus
    verified_at: datetime | None
    last_checked_at: datetime | None
    last_error: str | None
    proof_path: str = "/.well-known/ecredit-verify.txt"


class LookalikeRead(BaseModel):
    domain: str
    resembles: str
    resembles_subject_id: int
    rule: str
    distance: int


class DomainReport(BaseModel):
    domain: str = Field(min_length=3, max_length=253)


class DomainVerdict(BaseModel):
    """The answer to "is this website the real one?"."""

    domain: str
    verified: bool
    owner_id: int | None
    owner_name: str | None
    lookalikes: list[LookalikeRead]


class ClaimAnswer(BaseModel):
    claim: DomainClaimRead
    lookalikes: list[LookalikeRead] = Field(
        description="Verified websites of others that the claimed domain imitates (flagged)."
    )


class ChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor: str
    request_id: str | None
    entity: str
    entity_id: int
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class SubjectHistory(BaseModel):
    changes: list[ChangeRead]
    timeline: list[TimelineRead]
