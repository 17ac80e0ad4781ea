"""Reconciliation: the ledger's invariants, checked from the postings themselves.

- every entry's postings sum to zero, and every entry has postings;
- no posting without its entry, nor on another fund's account;
- per fund, cash = contributions - payouts + recovered;
- per fund and seller, the receivable is never negative.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.fund import repository as repo
from ecredit.models.fund import AccountKind, Fund, FundAccount, JournalEntry, Posting


@dataclass(frozen=True)
class Problem:
    """One broken invariant, naming the fund and (when one is to blame) the entry."""

    fund_id: int | None
    entry_id: int | None
    rule: str
    message: str

    def line(self) -> str:
        where = f"fund {self.fund_id}" + (f" entry {self.entry_id}" if self.entry_id else "")
        return f"[{where}] {self.rule}: {self.message}"


def reconcile(session: Session, fund_id: int | None = None) -> list[Problem]:
    """Every problem found, the first one first (orphans, unbalanced entries, then funds)."""
    problems = _orphans(session, fund_id) + _unbalanced(session, fund_id)
    funds = select(Fund.id).order_by(Fund.id)
    if fund_id is not None:
        funds = funds.where(Fund.id == fund_id)
    for fid in session.scalars(funds):
        problems += _identity(session, fid) + _negative_receivables(session, fid)
    return problems


def _orphans(session: Session, fund_id: int | None) -> list[Problem]:
    query = (
        select(Posting.id, Posting.entry_id, JournalEntry.fund_id, FundAccount.fund_id)
        .join(FundAccount, Posting.account_id == FundAccount.id, isouter=True)
        .join(JournalEntry, Posting.entry_id == JournalEntry.id, isouter=True)
        .where((JournalEntry.id.is_(None)) | (JournalEntry.fund_id != FundAccount.fund_id))
        .order_by(Posting.id)
    )
    if fund_id is not None:
        query = query.where(FundAccount.fund_id == fund_id)
    problems = []
    for posting_id, entry_id, entry_fund, account_fund in session.execute(query):
        if entry_fund is None:
            message = f"posting {posting_id} belongs to no entry (entry {entry_id} is missing)"
            problems.append(Problem(account_fund, None, "posting_without_entry", message))
        else:
            message = f"posting {posting_id} is on an account of fund {account_fund}"
            problems.append(Problem(entry_fund, entry_id, "posting_on_other_fund", message))
    return problems


def _unbalanced(session: Session, fund_id: int | None) -> list[Problem]:
    """Entries whose debits differ from their credits, or that have no postings at all."""
    query = (
        select(
            JournalEntry.id, JournalEntry.fund_id, func.sum(Posting.amount), func.count(Posting.id)
        )
        .join(Posting, Posting.entry_id == JournalEntry.id, isouter=True)
        .group_by(JournalEntry.id, JournalEntry.fund_id)
        .order_by(JournalEntry.id)
    )
    if fund_id is not None:
        query = query.where(JournalEntry.fund_id == fund_id)
    problems = []
    for entry_id, fid, total, count in session.execute(query):
        if count == 0:
            problems.append(Problem(fid, entry_id, "entry_without_postings", "no postings"))
        elif (difference := repo.exact(total)) != 0:
            message = f"entry {entry_id}: debits exceed credits by {difference}"
            problems.append(Problem(fid, entry_id, "entry_unbalanced", message))
    return problems


def _identity(session: Session, fund_id: int) -> list[Problem]:
    balances = repo.account_balances(session, fund_id)
    cash = balances[AccountKind.FUND_CASH]
    expected = (
        balances[AccountKind.CONTRIBUTIONS]
        - balances[AccountKind.PAYOUTS_TO_CONSUMERS]
        + balances[AccountKind.RECOVERED]
    )
    if cash == expected:
        return []
    message = f"cash {cash} != contributions - payouts + recovered = {expected}"
    return [Problem(fund_id, None, "cash_mismatch", message)]


def _negative_receivables(session: Session, fund_id: int) -> list[Problem]:
    return [
        Problem(fund_id, None, "receivable_negative", f"seller {seller} receivable is {owed}")
        for seller, owed in repo.receivables(session, fund_id).items()
        if owed < 0
    ]
