"""Thin JSON routes of complaints and reports: public filing and tracking by number, the
handlers' queue and moves, the unmasked contact (logged) and advance compensation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from ecredit.authz.deps import Requires, SessionDep, VaultDep
from ecredit.authz.principals import Principal, Scope
from ecredit.complaint import compensation, views
from ecredit.complaint.deps import ComplaintsDep
from ecredit.complaint.schemas import (
    CompensationCreate,
    ComplaintCreate,
    ComplaintDetail,
    ComplaintRead,
    ComplaintTransition,
    ContactRead,
    ExtensionCreate,
    NotificationCreate,
    PayoutRead,
    PublicWithdrawal,
    Receipt,
    ReportCreate,
    TrackingRead,
)
from ecredit.complaint.tracking import normalise
from ecredit.kit.errors import NotFound
from ecredit.models.complaint import ComplaintKind, ComplaintStatus
from ecredit.throttle.deps import guarded

router = APIRouter(prefix="/complaints", tags=["complaints"])
public_router = APIRouter(prefix="/public", tags=["public"])
Handle = Requires(Scope.COMPLAINT_HANDLE)
WITHDRAWAL = "complaint.withdraw"  # the throttle's rule: the filer's phone at withdrawal


def _number(tracking_no: str) -> str:
    found = normalise(tracking_no)
    if found is None:
        raise NotFound(f"no complaint or report with tracking number {tracking_no}")
    return found


@public_router.post("/complaints", status_code=201, response_model=Receipt)
def file_complaint(
    data: ComplaintCreate, session: SessionDep, vault: VaultDep, complaints: ComplaintsDep
) -> Receipt:
    """A consumer's complaint: it goes first to the platform of the order (ODR), else to the
    department. The receipt holds the tracking number and the deadlines."""
    complaint = complaints.file_complaint(session, vault, data)
    return views.receipt(complaint, complaints.today())


@public_router.post("/reports", status_code=201, response_model=Receipt)
def file_report(
    data: ReportCreate, session: SessionDep, vault: VaultDep, complaints: ComplaintsDep
) -> Receipt:
    """A report of dishonesty (网络失信举报), anonymous if `anonymous: true`."""
    return views.receipt(complaints.file_report(session, vault, data), complaints.today())


@public_router.get("/complaints/{tracking_no}", response_model=TrackingRead)
def track(tracking_no: str, session: SessionDep, complaints: ComplaintsDep) -> TrackingRead:
    """Status, deadlines and the dates of each step, by tracking number; nothing personal."""
    complaint = complaints.get(session, _number(tracking_no))
    return views.tracking(session, complaint, complaints.today())


@public_router.post("/complaints/{tracking_no}/withdraw", response_model=TrackingRead)
def withdraw_own(
    tracking_no: str, data: PublicWithdrawal, request: Request, session: SessionDep,
    vault: VaultDep, complaints: ComplaintsDep,
) -> TrackingRead:  # fmt: skip
    """The filer withdraws with the phone number given at filing (403 when it differs). Wrong
    phones are counted per tracking number and per client address: past the limits in the
    `throttle.*` parameters every answer, a right one too, is 429 with Retry-After until the
    lockout ends; a right phone clears the tracking number's count."""
    number = _number(tracking_no)
    guarded(request, WITHDRAWAL, "tracking_no", number,
            lambda check: complaints.confirm_filer(check, vault, number, data.phone))  # fmt: skip
    complaint = complaints.withdraw_own(session, vault, number, data.phone, data.reason)
    return views.tracking(session, complaint, complaints.today())


@router.get("", response_model=list[ComplaintRead])
def queue(
    session: SessionDep,
    vault: VaultDep,
    complaints: ComplaintsDep,
    status: Annotated[list[ComplaintStatus] | None, Query()] = None,
    kind: ComplaintKind | None = None,
    overdue: Annotated[bool | None, Query(description="Only those past a deadline")] = None,
    principal: Principal = Handle,
) -> list[ComplaintRead]:
    """The workbench, nearest deadline first (at most 200); a platform sees its own only."""
    today = complaints.today()
    found = complaints.queue(session, principal, tuple(status or ()), kind, overdue)
    return [views.staff_read(vault, complaint, today) for complaint in found]


@router.get("/{tracking_no}", response_model=ComplaintDetail)
def get_complaint(
    tracking_no: str, session: SessionDep, vault: VaultDep, complaints: ComplaintsDep,
    principal: Principal = Handle,
) -> ComplaintDetail:  # fmt: skip
    """One complaint with masked contact, deadlines, timeline and payouts."""
    complaint = complaints.read(session, _number(tracking_no), principal)
    return views.detail(session, vault, complaint, complaints.today())


@router.get("/{tracking_no}/contact", response_model=ContactRead)
def contact(
    tracking_no: str, session: SessionDep, vault: VaultDep, complaints: ComplaintsDep,
    principal: Principal = Requires(Scope.PERSONAL_READ),
) -> ContactRead:  # fmt: skip
    """The complainant's contact unmasked; every read is logged."""
    return complaints.contact(session, vault, _number(tracking_no), principal)


@router.post("/{tracking_no}/transitions", response_model=ComplaintDetail)
def move(
    tracking_no: str, data: ComplaintTransition, session: SessionDep, vault: VaultDep,
    complaints: ComplaintsDep, principal: Principal = Handle,
) -> ComplaintDetail:  # fmt: skip
    """Refer, accept, decide or withdraw (409 for a move the table forbids). An upheld
    complaint becomes a `complaint_upheld` credit record of the respondent."""
    complaint = complaints.transition(session, _number(tracking_no), data, principal)
    return views.detail(session, vault, complaint, complaints.today())


@router.post("/{tracking_no}/extension", response_model=ComplaintDetail)
def extend(
    tracking_no: str, data: ExtensionCreate, session: SessionDep, vault: VaultDep,
    complaints: ComplaintsDep, principal: Principal = Handle,
) -> ComplaintDetail:  # fmt: skip
    """Extend a report's check once by `report.extension_workdays`."""
    report = complaints.extend(session, _number(tracking_no), data.reason, principal)
    return views.detail(session, vault, report, complaints.today())


@router.post("/{tracking_no}/notification", response_model=ComplaintDetail)
def notified(
    tracking_no: str, data: NotificationCreate, session: SessionDep, vault: VaultDep,
    complaints: ComplaintsDep, principal: Principal = Handle,
) -> ComplaintDetail:  # fmt: skip
    """Record that the complainant or real-name reporter was told the outcome."""
    complaint = complaints.mark_notified(session, _number(tracking_no), data, principal)
    return views.detail(session, vault, complaint, complaints.today())


@router.post("/{tracking_no}/compensation", response_model=PayoutRead, status_code=201)
def compensate(
    tracking_no: str, data: CompensationCreate, response: Response, session: SessionDep,
    vault: VaultDep, complaints: ComplaintsDep,
    principal: Principal = Requires(Scope.FUND_MANAGE),
) -> PayoutRead:  # fmt: skip
    """先行赔付 from the platform's fund on an upheld complaint: 201 when paid now, 200 with the
    same payout when it was paid already (one per complaint)."""
    complaint = complaints.read(session, _number(tracking_no), principal)
    entry, created = compensation.compensate(session, vault, complaint, data, principal)
    response.status_code = 201 if created else 200
    [paid] = [p for p in compensation.payouts(session, complaint) if p.entry_id == entry.id]
    return paid
