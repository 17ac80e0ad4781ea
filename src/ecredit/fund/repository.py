"""Queries of the fund ledger: balances are always sums of postings, never stored."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.kit.paging import Page, PageRequest
from ecredit.models.fund import CREDIT_NORMAL, AccountKind, FundAccount, JournalEntry, Posting

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def exact(value: Decimal | None) -> Decimal:
    """A sum as exact fen: SQLite sums NUMERIC as floating point, so round to the cent (exact
    for totals below 10^13 yuan); PostgreSQL sums are exact already."""
    return ZERO if value is None else Decimal(value).quantize(CENT)


def account_balances(session: Session, fund_id: int) -> dict[AccountKind, Decimal]:
    """Every account's balance on its normal side (credit-normal accounts shown positive)."""
    balances = dict.fromkeys(AccountKind, ZERO)
    query = (
        select(FundAccount.kind, func.sum(Posting.amount))
        .join(Posting, Posting.account_id == FundAccount.id)
        .where(FundAccount.fund_id == fund_id)
        .group_by(FundAccount.kind)
    )
    for kind, total in session.execute(query):
        signed = exact(total)
        balances[kind] = -signed if kind in CREDIT_NORMAL else signed
    return balances


def cash(session: Session, fund_id: int) -> Decimal:
    return account_balances(session, fund_id)[AccountKind.FUND_CASH]


def receivables(session: Session, fund_id: int, seller_id: int | None = None) -> dict[int, Decimal]:
    """What each seller owes the fund (payouts for it less recoveries and write-offs)."""
    query = (
        select(Posting.seller_subject_id, func.sum(Posting.amount))
        .join(FundAccount, Posting.account_id == FundAccount.id)
        .where(FundAccount.fund_id == fund_id)
        .where(FundAccount.kind == AccountKind.RECEIVABLE_FROM_SELLERS)
        .group_by(Posting.seller_subject_id)
        .order_by(Posting.seller_subject_id)
    )
    if seller_id is not None:
        query = query.where(Posting.seller_subject_id == seller_id)
    return {seller or 0: exact(total) for seller, total in session.execute(query)}


def accounts(session: Session, fund_id: int) -> dict[AccountKind, FundAccount]:
    rows = session.scalars(select(FundAccount).where(FundAccount.fund_id == fund_id))
    return {account.kind: account for account in rows}


def by_key(session: Session, fund_id: int, key: str) -> JournalEntry | None:
    return session.scalar(
        select(JournalEntry).where(
            JournalEntry.fund_id == fund_id, JournalEntry.idempotency_key == key
        )
    )


def postings(
    session: Session, entry_ids: Sequence[int]
) -> dict[int, list[tuple[Posting, AccountKind]]]:
    found: dict[int, list[tuple[Posting, AccountKind]]] = {entry_id: [] for entry_id in entry_ids}
    rows = session.execute(
        select(Posting, FundAccount.kind)
        .join(FundAccount, Posting.account_id == FundAccount.id)
        .where(Posting.entry_id.in_(entry_ids))
        .order_by(Posting.id)
    )
    for posting, kind in rows:
        found[posting.entry_id].append((posting, kind))
    return found


def journal(session: Session, fund_id: int, page: PageRequest) -> Page[JournalEntry]:
    where = JournalEntry.fund_id == fund_id
    total = session.scalar(select(func.count()).select_from(JournalEntry).where(where)) or 0
    items = session.scalars(
        select(JournalEntry)
        .where(where)
        .order_by(JournalEntry.id.desc())
        .offset(page.offset)
        .limit(page.size)
    )
    return Page(items=list(items), total=total, page=page.page, size=page.size)
