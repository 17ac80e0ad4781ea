"""Shapes of the fund API: movements in, entries, balances and reconciliation out."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ecredit.models.fund import AccountKind, EntryKind, PayoutReason

# Exact decimals: positive, at most two decimal places (fen), at most 16 digits before the point.
Amount = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=2, allow_inf_nan=False)]
IdempotencyKey = Annotated[str, Field(min_length=1, max_length=120)]
Memo = Annotated[str | None, Field(default=None, max_length=500)]


class FundCreate(BaseModel):
    platform_subject_id: int


class FundRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    platform_subject_id: int
    currency: str
    created_by: str
    created_at: datetime


class _Movement(BaseModel):
    amount: Amount
    idempotency_key: IdempotencyKey
    memo: Memo = None


class ContributionCreate(_Movement):
    """Money paid in by the platform or a merchant (`contributor_subject_id`)."""

    contributor_subject_id: int | None = None


class PayoutCreate(_Movement):
    """Advance compensation to a consumer on an upheld complaint the seller did not settle."""

    seller_subject_id: int
    consumer: Annotated[str, Field(min_length=1, max_length=120)]
    reason: PayoutReason
    complaint_ref: Annotated[str | None, Field(default=None, max_length=80)] = None


class RecoveryCreate(_Movement):
    """Money recovered from the seller a payout was made for."""

    seller_subject_id: int


class WriteOffCreate(_Movement):
    """A claim on a seller given up as unrecoverable."""

    seller_subject_id: int


class PostingRead(BaseModel):
    account: AccountKind
    seller_subject_id: int | None
    amount: Decimal


class EntryRead(BaseModel):
    id: int
    fund_id: int
    kind: EntryKind
    amount: Decimal
    memo: str | None
    complaint_ref: str | None
    seller_subject_id: int | None
    contributor_subject_id: int | None
    payout_reason: PayoutReason | None
    consumer_masked: str | None
    idempotency_key: str
    created_by: str
    created_at: datetime
    postings: list[PostingRead]


class SellerBalance(BaseModel):
    seller_subject_id: int
    receivable: Decimal


class BalancesRead(BaseModel):
    fund_id: int
    currency: str
    accounts: dict[AccountKind, Decimal]
    receivables: list[SellerBalance]


class ProblemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    fund_id: int | None
    entry_id: int | None
    rule: str
    message: str


class ReconcileRead(BaseModel):
    ok: bool
    problems: list[ProblemRead]
