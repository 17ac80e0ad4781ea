"""Thin JSON routes of the consumer-protection fund: movements, balances, journal, reconcile."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy.orm import Session

from ecredit.authz.deps import Requires, SessionDep, VaultDep
from ecredit.authz.principals import Principal, Scope
from ecredit.fund import repository as repo
from ecredit.fund.reconcile import reconcile
from ecredit.fund.schemas import (
    BalancesRead,
    ContributionCreate,
    EntryRead,
    FundCreate,
    FundRead,
    PayoutCreate,
    PostingRead,
    ProblemRead,
    ReconcileRead,
    RecoveryCreate,
    SellerBalance,
    WriteOffCreate,
)
from ecredit.fund.service import fund_service
from ecredit.kit.paging import MAX_PAGE_SIZE, PageRequest
from ecredit.kit.schemas import PageOut
from ecredit.models.fund import JournalEntry

router = APIRouter(prefix="/funds", tags=["funds"])
Manage = Requires(Scope.FUND_MANAGE)
Read = Requires(Scope.RECORD_READ)


def entry_reads(session: Session, entries: list[JournalEntry]) -> list[EntryRead]:
    """Entries with their postings; the amount is the sum of the debits."""
    postings = repo.postings(session, [entry.id for entry in entries])
    reads = []
    for entry in entries:
        lines = [
            PostingRead(account=kind, seller_subject_id=p.seller_subject_id,
                        amount=repo.exact(p.amount))
            for p, kind in postings[entry.id]
        ]  # fmt: skip
        amount = sum((line.amount for line in lines if line.amount > 0), repo.ZERO)
        fields = {
            name: getattr(entry, name) for name in EntryRead.model_fields if hasattr(entry, name)
        }
        reads.append(EntryRead(**(fields | {"amount": amount, "postings": lines})))
    return reads


def _created(response: Response, entry: JournalEntry, created: bool, session: Session) -> EntryRead:
    """201 for a new entry, 200 when a retried idempotency key returns the stored one."""
    response.status_code = 201 if created else 200
    return entry_reads(session, [entry])[0]


@router.post("", response_model=FundRead, status_code=201)
def create_fund(data: FundCreate, session: SessionDep, principal: Principal = Manage) -> FundRead:
    """Open the consumer-protection fund of a platform (one per platform)."""
    fund = fund_service.create(session, principal, data.platform_subject_id)
    return FundRead.model_validate(fund)


@router.get("/{fund_id}", response_model=FundRead)
def get_fund(fund_id: int, session: SessionDep, _: Principal = Read) -> FundRead:
    return FundRead.model_validate(fund_service.get(session, fund_id))


@router.post("/{fund_id}/contributions", response_model=EntryRead, status_code=201)
def contribute(
    fund_id: int, data: ContributionCreate, response: Response, session: SessionDep,
    principal: Principal = Manage,
) -> EntryRead:  # fmt: skip
    """Money paid into the fund by the platform or a merchant."""
    entry, created = fund_service.contribute(session, principal, fund_id, data)
    return _created(response, entry, created, session)


@router.post("/{fund_id}/payouts", response_model=EntryRead, status_code=201)
def pay_out(
    fund_id: int, data: PayoutCreate, response: Response, session: SessionDep, vault: VaultDep,
    principal: Principal = Manage,
) -> EntryRead:  # fmt: skip
    """Advance compensation to a consumer (409 when it exceeds the cash balance)."""
    entry, created = fund_service.pay_out(session, principal, vault, fund_id, data)
    return _created(response, entry, created, session)


@router.post("/{fund_id}/recoveries", response_model=EntryRead, status_code=201)
def recover(
    fund_id: int, data: RecoveryCreate, response: Response, session: SessionDep,
    principal: Principal = Manage,
) -> EntryRead:  # fmt: skip
    """Money recovered from a seller (409 when it exceeds what the seller owes)."""
    entry, created = fund_service.recover(session, principal, fund_id, data)
    return _created(response, entry, created, session)


@router.post("/{fund_id}/write-offs", response_model=EntryRead, status_code=201)
def write_off(
    fund_id: int, data: WriteOffCreate, response: Response, session: SessionDep,
    principal: Principal = Manage,
) -> EntryRead:  # fmt: skip
    """A seller's debt given up as unrecoverable."""
    entry, created = fund_service.write_off(session, principal, fund_id, data)
    return _created(response, entry, created, session)


@router.get("/{fund_id}/balances", response_model=BalancesRead)
def balances(fund_id: int, session: SessionDep, _: Principal = Read) -> BalancesRead:
    """Each account's balance and what each seller owes, summed from the postings."""
    fund = fund_service.get(session, fund_id)
    owed = [
        SellerBalance(seller_subject_id=seller, receivable=amount)
        for seller, amount in repo.receivables(session, fund.id).items()
    ]
    accounts = repo.account_balances(session, fund.id)
    return BalancesRead(fund_id=fund.id, currency=fund.currency, accounts=accounts,
                        receivables=owed)  # fmt: skip


@router.get("/{fund_id}/entries", response_model=PageOut[EntryRead])
def journal(
    fund_id: int,
    session: SessionDep,
    _: Principal = Read,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> PageOut[EntryRead]:
    """The fund's journal, newest first."""
    fund = fund_service.get(session, fund_id)
    found = repo.journal(session, fund.id, PageRequest(page, size))
    items = entry_reads(session, found.items)
    return PageOut(items=items, total=found.total, page=found.page, size=found.size)


@router.get("/{fund_id}/reconcile", response_model=ReconcileRead)
def check(fund_id: int, session: SessionDep, _: Principal = Read) -> ReconcileRead:
    """The ledger's invariants for this fund; `ok` is false and the problems are named when
    any entry does not balance or cash differs from contributions - payouts + recovered."""
    fund = fund_service.get(session, fund_id)
    problems = [ProblemRead.model_validate(p) for p in reconcile(session, fund.id)]
    return ReconcileRead(ok=not problems, problems=problems)
