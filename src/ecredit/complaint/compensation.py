"""Advance compensation (先行赔付) on an upheld complaint, from the platform's fund.

Only for a complaint upheld in whole or part, against a seller on a platform that has a fund;
the payout references the complaint by its tracking number and uses it as the idempotency key,
so a retry (or a second click) returns the one payout already made. Recovery from the seller
stays with the fund (`fund.service.recover`).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.authz.principals import Principal
from ecredit.complaint import filing, workflow
from ecredit.complaint.repository import ENTITY, complaint_repository
from ecredit.complaint.schemas import CompensationCreate, PayoutRead
from ecredit.fund import repository as fund_repo
from ecredit.fund.schemas import PayoutCreate
from ecredit.fund.service import fund_service
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict, InvalidInput
from ecredit.models.complaint import UPHELD, Complaint, ComplaintKind
from ecredit.models.fund import AccountKind, Fund, JournalEntry


def idempotency_key(complaint: Complaint) -> str:
    return f"complaint:{complaint.tracking_no}"


def platform_fund(session: Session, complaint: Complaint) -> Fund:
    """The fund that pays: the platform's the complaint went to, for a seller other than it."""
    platform = complaint.platform_subject_id
    if platform is None or platform == complaint.respondent_subject_id:
        raise Conflict(f"{complaint.tracking_no}: advance compensation is paid by a platform for "
                       "a seller on it; this complaint has no such platform")  # fmt: skip
    fund = session.scalar(select(Fund).where(Fund.platform_subject_id == platform))
    if fund is None:
        raise Conflict(f"{complaint.tracking_no}: platform {platform} has no consumer fund")
    return fund


def compensate(
    session: Session, vault: Vault, complaint: Complaint, data: CompensationCreate,
    by: Principal,
) -> tuple[JournalEntry, bool]:  # fmt: skip
    """(the payout entry, whether it was made now)."""
    if complaint.kind is not ComplaintKind.COMPLAINT or complaint.status not in UPHELD:
        raise Conflict(f"{complaint.tracking_no}: advance compensation is paid only on an upheld "
                       f"or partly upheld complaint (status {complaint.status.value})")  # fmt: skip
    if complaint.amount is not None and data.amount > complaint.amount:
        raise InvalidInput("amount", "at_most_claimed",
                           f"amount: at most the {complaint.amount} in dispute")  # fmt: skip
    fund = platform_fund(session, complaint)
    if complaint.complainant_phone_sealed is None:
        raise Conflict(f"{complaint.tracking_no}: no consumer contact to pay")
    # Opened only to index and mask it in the fund's journal (no person reads it here).
    phone = vault.cipher.decrypt(complaint.complainant_phone_sealed, filing.PHONE)
    payout = PayoutCreate(
        amount=data.amount, idempotency_key=idempotency_key(complaint), memo=data.memo,
        seller_subject_id=complaint.respondent_subject_id, consumer=phone, reason=data.reason,
        complaint_ref=complaint.tracking_no,
    )  # fmt: skip
    entry, created = fund_service.pay_out(session, by, vault, fund.id, payout)
    if created:
        audit_service.record_event(
            session, ENTITY, complaint.id, "complaint_compensated",
            f"{workflow.describe(complaint)}：先行赔付 {data.amount} 元",
            {"entry_id": entry.id, "fund_id": fund.id, "amount": str(data.amount)},
        )  # fmt: skip
    return entry, created


def payouts(session: Session, complaint: Complaint) -> list[PayoutRead]:
    """The payouts made for this complaint, with their amounts from the postings."""
    entries = complaint_repository.payouts(session, complaint.tracking_no)
    lines = fund_repo.postings(session, [entry.id for entry in entries])
    reads = []
    for entry in entries:
        paid = sum(
            (p.amount for p, kind in lines[entry.id] if kind is AccountKind.PAYOUTS_TO_CONSUMERS),
            Decimal(0),
        )
        reads.append(PayoutRead(entry_id=entry.id, fund_id=entry.fund_id,
                                amount=fund_repo.exact(paid), reason=entry.payout_reason,
                                consumer_masked=entry.consumer_masked,
                                created_at=entry.created_at))  # fmt: skip
    return reads
