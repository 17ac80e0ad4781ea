"""Thin JSON routes of objections and credit repair: the staff queue and decisions, filing by
organisations, and the subject's own filing with proof of identity."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from ecredit.authz.deps import Requires, SessionDep, VaultDep
from ecredit.authz.principals import Principal, Scope
from ecredit.kit.crypto import Vault
from ecredit.models.repair import CaseKind, CaseStatus
from ecredit.repair import identity, views
from ecredit.repair.deps import RepairsDep
from ecredit.repair.schemas import (
    CaseCreate,
    CaseDecision,
    CaseDetail,
    CaseRead,
    CaseWithdrawal,
    IdentityProof,
    PublicCaseCreate,
    PublicCaseReceipt,
    PublicWithdrawal,
)
from ecredit.throttle.deps import guarded

router = APIRouter(prefix="/repair-cases", tags=["repair"])
public_router = APIRouter(prefix="/public", tags=["public"])


@router.post("", status_code=201, response_model=CaseDetail)
def file_case(
    data: CaseCreate,
    session: SessionDep,
    repairs: RepairsDep,
    principal: Principal = Requires(Scope.REPAIR_FILE),
) -> CaseDetail:
    """File an objection to a record, or a repair application for a record or list entry, for
    its subject (a platform for merchants on it; the credit office or a department for anyone).
    A repair before the record's earliest repair date, or of a kind with no early stop, is 422."""
    case = repairs.file(session, data, principal)
    return views.case_detail(session, case, repairs.today())


@router.get("", response_model=list[CaseRead])
def case_queue(
    session: SessionDep,
    repairs: RepairsDep,
    status: CaseStatus | None = None,
    kind: CaseKind | None = None,
    overdue: Annotated[bool | None, Query(description="Only cases past a deadline")] = None,
    _: Principal = Requires(Scope.RECORD_READ),
) -> list[CaseRead]:
    """The staff queue, the nearest decision deadline first (at most 200)."""
    today = repairs.today()
    cases = repairs.queue(session, today, status, kind, overdue)
    return [views.case_read(session, case, today) for case in cases]


@router.get("/{case_id}", response_model=CaseDetail)
def get_case(
    case_id: int,
    session: SessionDep,
    repairs: RepairsDep,
    _: Principal = Requires(Scope.RECORD_READ),
) -> CaseDetail:
    """One case with its deadlines, the steps overdue today and its timeline."""
    return views.case_detail(session, repairs.get(session, case_id), repairs.today())


@router.post("/{case_id}/acknowledge", response_model=CaseDetail)
def acknowledge_case(
    case_id: int,
    session: SessionDep,
    repairs: RepairsDep,
    principal: Principal = Requires(Scope.REPAIR_DECIDE),
) -> CaseDetail:
    """受理: accept the case for review (a notice goes to the subject)."""
    case = repairs.acknowledge(session, case_id, principal)
    return views.case_detail(session, case, repairs.today())


@router.post("/{case_id}/decision", response_model=CaseDetail)
def decide_case(
    case_id: int,
    data: CaseDecision,
    session: SessionDep,
    repairs: RepairsDep,
    principal: Principal = Requires(Scope.REPAIR_DECIDE),
) -> CaseDetail:
    """Grant or refuse with the reason. Granted: an objection corrects (`correction`) or revokes
    (`revoke: true`) the record; a repair hides the record from the public, or removes the list
    entry. The original always stays in the ledger."""
    case = repairs.decide(session, case_id, data, principal)
    return views.case_detail(session, case, repairs.today())


@router.post("/{case_id}/withdraw", response_model=CaseDetail)
def withdraw_case(
    case_id: int,
    data: CaseWithdrawal,
    session: SessionDep,
    repairs: RepairsDep,
    principal: Principal = Requires(Scope.REPAIR_FILE),
) -> CaseDetail:
    """Withdraw before a decision: only the organisation that filed the case."""
    case = repairs.withdraw(session, case_id, data.reason, principal)
    return views.case_detail(session, case, repairs.today())


@public_router.post(
    "/subjects/{subject_id}/cases", status_code=201, response_model=PublicCaseReceipt
)
def file_own_case(
    subject_id: int, data: PublicCaseCreate, request: Request, session: SessionDep,
    vault: VaultDep, repairs: RepairsDep,
) -> PublicCaseReceipt:  # fmt: skip
    """The subject files for itself: prove identity with the full USCC (or, for a natural
    person, the full ID number) and give a contact. A wrong identifier is 403 and stores nothing;
    repeated wrong identifiers for one subject, or from one address, are refused for a while
    (429 with Retry-After; limits in the `throttle.*` parameters)."""
    _prove(request, vault, subject_id, data)
    return views.receipt(repairs.file_public(session, vault, subject_id, data))


@public_router.post(
    "/subjects/{subject_id}/cases/{case_id}/withdraw", response_model=PublicCaseReceipt
)
def withdraw_own_case(
    subject_id: int, case_id: int, data: PublicWithdrawal, request: Request,
    session: SessionDep, vault: VaultDep, repairs: RepairsDep,
) -> PublicCaseReceipt:  # fmt: skip
    """The subject withdraws a case it filed itself, proving its identity again (throttled as
    the filing is)."""
    _prove(request, vault, subject_id, data)
    case = repairs.withdraw_own(session, subject_id, case_id, data.reason)
    return views.receipt(case)


def _prove(request: Request, vault: Vault, subject_id: int, proof: IdentityProof) -> None:
    """The subject's identity, checked under the throttle before the route's own work."""
    guarded(request, identity.IDENTITY_RULE, "subject_id", str(subject_id),
            lambda checking: identity.prove(checking, vault, subject_id, proof.uscc,
                                            proof.id_number))  # fmt: skip
