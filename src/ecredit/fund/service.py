"""Fund movements as balanced journal entries (flush only; the caller commits).

contribution  Dr fund_cash              Cr contributions
payout        Dr payouts_to_consumers   Cr fund_cash
              Dr receivable (seller)    Cr seller_claims (seller)
recovery      Dr fund_cash              Cr recovered
              Dr seller_claims (seller) Cr receivable (seller)
write_off     Dr seller_claims (seller) Cr receivable (seller)

so that, at every moment, cash = contributions - payouts + recovered, and a seller's
receivable is what it still owes for payouts made in its place.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ecredit.authz.policies import may_manage_fund
from ecredit.authz.principals import Principal
from ecredit.fund import repository as repo
from ecredit.fund.schemas import (
    ContributionCreate,
    PayoutCreate,
    RecoveryCreate,
    WriteOffCreate,
)
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict, InvalidInput, NotFound
from ecredit.kit.masking import PersonalField, mask
from ecredit.models.fund import AccountKind, EntryKind, Fund, FundAccount, JournalEntry, Posting
from ecredit.models.subject import Subject, SubjectKind

K = AccountKind
MAX_AMOUNT = Decimal("1E16")


@dataclass(frozen=True)
class Leg:
    account: AccountKind
    amount: Decimal  # debit > 0, credit < 0
    seller_subject_id: int | None = None


def check_amount(value: Decimal, field: str = "amount") -> Decimal:
    """Decimal only, positive, at most two decimal places (fen)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidInput(field, "decimal", f"{field} must be a finite decimal number")
    if value <= 0:
        raise InvalidInput(field, "positive", f"{field} must be greater than 0 (got {value})")
    if value != value.quantize(repo.CENT):
        raise InvalidInput(field, "max_2_decimal_places", f"{field} has more than 2 decimals")
    if value >= MAX_AMOUNT:
        raise InvalidInput(field, "max_digits", f"{field} must be below {MAX_AMOUNT:f}")
    return value.quantize(repo.CENT)


def check_balanced(legs: list[Leg]) -> None:
    """Debits equal credits, or nothing is written."""
    total = sum((leg.amount for leg in legs), Decimal(0))
    if total != 0:
        raise Conflict(f"journal entry does not balance: postings sum to {total}")


def consumer_kind(value: str) -> PersonalField:
    if "@" in value:
        return PersonalField.EMAIL
    if value.isdigit() and len(value) >= 11:
        return PersonalField.PHONE if len(value) == 11 else PersonalField.ID_NUMBER
    return PersonalField.PERSON_NAME


class FundService:
    def create(self, session: Session, principal: Principal, platform_subject_id: int) -> Fund:
        """The fund of a platform with its chart of accounts; one fund per platform."""
        may_manage_fund(principal, platform_subject_id).enforce()
        platform = session.get(Subject, platform_subject_id)
        if platform is None or platform.kind is not SubjectKind.PLATFORM:
            raise InvalidInput(
                "platform_subject_id", "platform", "platform_subject_id must name a platform"
            )
        if session.scalar(select(Fund).where(Fund.platform_subject_id == platform.id)):
            raise Conflict(f"platform {platform.id} already has a consumer-protection fund")
        fund = Fund(platform_subject_id=platform.id, currency="CNY", created_by=principal.actor)
        session.add(fund)
        session.flush()
        session.add_all(FundAccount(fund_id=fund.id, kind=kind) for kind in AccountKind)
        session.flush()
        return fund

    def get(self, session: Session, fund_id: int) -> Fund:
        fund = session.get(Fund, fund_id)
        if fund is None:
            raise NotFound(f"no fund {fund_id}")
        return fund

    def _lock(self, session: Session, principal: Principal, fund_id: int) -> Fund:
        """The fund row, locked until commit so concurrent payouts cannot overdraw it."""
        fund = session.scalar(
            select(Fund)
            .where(Fund.id == fund_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if fund is None:
            raise NotFound(f"no fund {fund_id}")
        may_manage_fund(principal, fund.platform_subject_id).enforce()
        return fund

    def _seller(self, session: Session, seller_id: int) -> int:
        if session.get(Subject, seller_id) is None:
            raise InvalidInput("seller_subject_id", "exists", f"no subject {seller_id}")
        return seller_id

    def contribute(
        self, session: Session, principal: Principal, fund_id: int, data: ContributionCreate
    ) -> tuple[JournalEntry, bool]:
        """Money paid in; (entry, created) — a retried key returns the stored entry."""
        fund = self._lock(session, principal, fund_id)
        found = self._replay(session, fund.id, data.idempotency_key, EntryKind.CONTRIBUTION)
        if found:
            return found, False
        amount = check_amount(data.amount)
        contributor = data.contributor_subject_id
        if contributor is not None and session.get(Subject, contributor) is None:
            raise InvalidInput("contributor_subject_id", "exists", "no such subject")
        entry = self._entry(principal, fund, EntryKind.CONTRIBUTION, data.idempotency_key)
        entry.memo, entry.contributor_subject_id = data.memo, data.contributor_subject_id
        legs = [Leg(K.FUND_CASH, amount), Leg(K.CONTRIBUTIONS, -amount)]
        return self._post(session, entry, legs)

    def pay_out(
        self,
        session: Session,
        principal: Principal,
        vault: Vault,
        fund_id: int,
        data: PayoutCreate,
    ) -> tuple[JournalEntry, bool]:
        """Advance compensation: at most the cash balance (409 naming it); the seller then
        owes the fund the amount."""
        fund = self._lock(session, principal, fund_id)
        found = self._replay(session, fund.id, data.idempotency_key, EntryKind.PAYOUT)
        if found:
            return found, False
        amount, seller = check_amount(data.amount), self._seller(session, data.seller_subject_id)
        balance = repo.cash(session, fund.id)
        if amount > balance:
            raise Conflict(f"payout of {amount} exceeds the fund's cash balance of {balance}")
        entry = self._entry(principal, fund, EntryKind.PAYOUT, data.idempotency_key)
        entry.memo, entry.complaint_ref, entry.seller_subject_id = (
            data.memo, data.complaint_ref, seller
        )  # fmt: skip
        entry.payout_reason = data.reason
        entry.consumer_index = vault.index("consumer", data.consumer)
        entry.consumer_masked = mask(consumer_kind(data.consumer), data.consumer)
        legs = [Leg(K.PAYOUTS_TO_CONSUMERS, amount), Leg(K.FUND_CASH, -amount)]
        legs += [
            Leg(K.RECEIVABLE_FROM_SELLERS, amount, seller),
            Leg(K.SELLER_CLAIMS, -amount, seller),
        ]
        return self._post(session, entry, legs)

    def recover(
        self, session: Session, principal: Principal, fund_id: int, data: RecoveryCreate
    ) -> tuple[JournalEntry, bool]:
        """Money recovered from a seller: at most what it owes this fund."""
        return self._settle(session, principal, fund_id, data, EntryKind.RECOVERY)

    def write_off(
        self, session: Session, principal: Principal, fund_id: int, data: WriteOffCreate
    ) -> tuple[JournalEntry, bool]:
        """A seller's claim given up: at most what it owes this fund."""
        return self._settle(session, principal, fund_id, data, EntryKind.WRITE_OFF)

    def _settle(
        self,
        session: Session,
        principal: Principal,
        fund_id: int,
        data: RecoveryCreate | WriteOffCreate,
        kind: EntryKind,
    ) -> tuple[JournalEntry, bool]:
        fund = self._lock(session, principal, fund_id)
        found = self._replay(session, fund.id, data.idempotency_key, kind)
        if found:
            return found, False
        amount, seller = check_amount(data.amount), self._seller(session, data.seller_subject_id)
        owed = repo.receivables(session, fund.id, seller).get(seller, repo.ZERO)
        if amount > owed:
            raise Conflict(f"{kind.value} of {amount} exceeds seller {seller}'s receivable {owed}")
        entry = self._entry(principal, fund, kind, data.idempotency_key)
        entry.memo, entry.seller_subject_id = data.memo, seller
        legs = [
            Leg(K.SELLER_CLAIMS, amount, seller),
            Leg(K.RECEIVABLE_FROM_SELLERS, -amount, seller),
        ]
        if kind is EntryKind.RECOVERY:
            legs += [Leg(K.FUND_CASH, amount), Leg(K.RECOVERED, -amount)]
        return self._post(session, entry, legs)

    def _entry(self, principal: Principal, fund: Fund, kind: EntryKind, key: str) -> JournalEntry:
        return JournalEntry(
            fund_id=fund.id, kind=kind, idempotency_key=key, created_by=principal.actor
        )

    def _replay(
        self, session: Session, fund_id: int, key: str, kind: EntryKind
    ) -> JournalEntry | None:
        found = repo.by_key(session, fund_id, key)
        if found is not None and found.kind is not kind:
            raise Conflict(f"idempotency key '{key}' was used for a {found.kind.value}")
        return found

    def _post(
        self, session: Session, entry: JournalEntry, legs: list[Leg]
    ) -> tuple[JournalEntry, bool]:
        """Write the entry and its postings, balanced, in a savepoint: a concurrent retry with
        the same key loses the race and gets the stored entry back."""
        check_balanced(legs)
        accounts = repo.accounts(session, entry.fund_id)
        try:
            with session.begin_nested():
                session.add(entry)
                session.flush()
                session.add_all(
                    Posting(entry_id=entry.id, account_id=accounts[leg.account].id,
                            seller_subject_id=leg.seller_subject_id, amount=leg.amount)
                    for leg in legs
                )  # fmt: skip
                session.flush()
        except IntegrityError:
            found = repo.by_key(session, entry.fund_id, entry.idempotency_key)
            if found is None:
                raise
            return found, False
        return entry, True


fund_service = FundService()
