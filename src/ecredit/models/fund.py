"""Consumer-protection fund (先行赔付): one fund per platform, and its double-entry journal.

A journal entry is never updated or deleted; a mistake is reversed by a new entry. Each entry's
postings carry signed amounts (debit positive, credit negative) that sum to zero.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import StrEnumType, UTCDateTime
from ecredit.models.base import Base, utcnow


class AccountKind(StrEnum):
    FUND_CASH = "fund_cash"  # the money the fund holds (asset, debit-normal)
    CONTRIBUTIONS = "contributions"  # paid in by the platform or merchants (credit-normal)
    PAYOUTS_TO_CONSUMERS = "payouts_to_consumers"  # advance compensation paid (debit-normal)
    RECEIVABLE_FROM_SELLERS = "receivable_from_sellers"  # claims on sellers, per seller (debit)
    RECOVERED = "recovered"  # money recovered from sellers (credit-normal)
    # The memorandum counterpart of the receivable: credited when a payout creates a claim,
    # debited when the claim is recovered or written off (credit-normal, per seller).
    SELLER_CLAIMS = "seller_claims"


CREDIT_NORMAL = frozenset(
    {AccountKind.CONTRIBUTIONS, AccountKind.RECOVERED, AccountKind.SELLER_CLAIMS}
)


class EntryKind(StrEnum):
    CONTRIBUTION = "contribution"
    PAYOUT = "payout"
    RECOVERY = "recovery"
    WRITE_OFF = "write_off"


class PayoutReason(StrEnum):
    SELLER_UNREACHABLE = "seller_unreachable"
    SELLER_REFUSED = "seller_refused"


class Fund(Base):
    """The consumer-protection fund of one platform."""

    __tablename__ = "fund"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), unique=True)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FundAccount(Base):
    """One account of a fund's chart (one per kind)."""

    __tablename__ = "fund_account"
    __table_args__ = (UniqueConstraint("fund_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("fund.id"))
    kind: Mapped[AccountKind] = mapped_column(StrEnumType(AccountKind))


class JournalEntry(Base):
    """One movement of the fund: a balanced set of postings, written once."""

    __tablename__ = "fund_journal_entry"
    __table_args__ = (
        UniqueConstraint("fund_id", "idempotency_key"),
        Index("ix_fund_journal_entry_seller", "fund_id", "seller_subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("fund.id"))
    kind: Mapped[EntryKind] = mapped_column(StrEnumType(EntryKind))
    memo: Mapped[str | None] = mapped_column(String(500))
    complaint_ref: Mapped[str | None] = mapped_column(String(80))
    seller_subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id"))
    contributor_subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id"))
    payout_reason: Mapped[PayoutReason | None] = mapped_column(StrEnumType(PayoutReason))
    # The consumer is personal data: only a blind index (to find a consumer's payouts) and
    # a masked text for display are kept.
    consumer_index: Mapped[str | None] = mapped_column(String(64), index=True)
    consumer_masked: Mapped[str | None] = mapped_column(String(120))
    idempotency_key: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Posting(Base):
    """One line of an entry: a signed amount on one account (debit > 0, credit < 0)."""

    __tablename__ = "fund_posting"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("fund_journal_entry.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("fund_account.id"), index=True)
    # Set on the per-seller accounts (receivable, claims) so balances per seller are sums.
    seller_subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id"))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
