"""Filing a complaint or report: who it is against, where it goes first, sealing the contact.

Routing (ODR first, SAMR Order 20 Art. 6 and 12): a complaint against a merchant goes to the
platform the order was placed on; against a platform, to that platform; a complaint with no
platform to settle it (a carrier, a seller without a shop here) goes straight to the department.
Reports go to the department to be checked.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ecredit.complaint.deadlines import Deadlines
from ecredit.complaint.schemas import ComplaintCreate, ReportCreate
from ecredit.complaint.tracking import new_tracking_no
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import InvalidInput
from ecredit.models.complaint import Complaint, ComplaintKind, ComplaintStatus
from ecredit.models.subject import Subject, SubjectKind
from ecredit.subject.repository import subject_repository

# Associated data of each sealed column: a ciphertext cannot be moved to another column.
NAME, PHONE, ADDRESS = "complaint.name", "complaint.phone", "complaint.address"


def respondent(session: Session, subject_id: int) -> Subject:
    subject = subject_repository.get(session, subject_id)
    if subject is None:
        raise InvalidInput(
            "respondent_subject_id", "exists", f"respondent_subject_id: no subject {subject_id}"
        )
    return subject


def responsible_platform(session: Session, seller: Subject, given: int | None) -> int | None:
    """The platform that settles first, or None when the department takes it directly."""
    if seller.kind is SubjectKind.PLATFORM:
        if given not in (None, seller.id):
            raise InvalidInput("platform_subject_id", "respondent",
                               "platform_subject_id: a complaint against a platform is settled "
                               "by that platform")  # fmt: skip
        return seller.id
    shops = subject_repository.shops_of(session, seller.id)
    platforms = sorted({shop.platform_id for shop in shops})
    if given is not None:
        if given not in platforms:
            raise InvalidInput(
                "platform_subject_id", "shop",
                f"platform_subject_id: the seller has no shop on platform {given}",
            )  # fmt: skip
        return given
    if len(platforms) > 1:
        raise InvalidInput("platform_subject_id", "required",
                           "platform_subject_id: the seller trades on several platforms; name the "
                           "one the order was placed on")  # fmt: skip
    return platforms[0] if platforms else None


def seal(complaint: Complaint, vault: Vault, data: ComplaintCreate | ReportCreate) -> None:
    """Seal the contact; the phone is also blind-indexed, to prove a withdrawal is the filer's."""
    cipher = vault.cipher
    if data.name is not None:
        complaint.complainant_name_sealed = cipher.encrypt(data.name.strip(), NAME)
    if data.phone is not None:
        complaint.complainant_phone_sealed = cipher.encrypt(data.phone, PHONE)
        complaint.complainant_phone_index = vault.index(PHONE, data.phone)
    if data.address:
        complaint.complainant_address_sealed = cipher.encrypt(data.address.strip(), ADDRESS)


def new_complaint(
    session: Session, vault: Vault, data: ComplaintCreate, today: date, days: Deadlines
) -> Complaint:
    seller = respondent(session, data.respondent_subject_id)
    platform = responsible_platform(session, seller, data.platform_subject_id)
    complaint = _base(ComplaintKind.COMPLAINT, data, today)
    complaint.platform_subject_id, complaint.amount = platform, data.amount
    if platform is None:
        complaint.status, complaint.referred_on = ComplaintStatus.DEPARTMENT, today
        complaint.accept_due = days.after(today, "complaint.accept_workdays")
    else:
        complaint.status = ComplaintStatus.PLATFORM
        complaint.platform_due = days.after(today, "complaint.platform_workdays")
    seal(complaint, vault, data)
    return complaint


def new_report(
    session: Session, vault: Vault, data: ReportCreate, today: date, days: Deadlines
) -> Complaint:
    respondent(session, data.respondent_subject_id)
    report = _base(ComplaintKind.REPORT, data, today)
    report.status, report.anonymous = ComplaintStatus.CHECKING, data.anonymous
    report.check_due = days.after(today, "report.check_workdays")
    seal(report, vault, data)
    return report


def _base(kind: ComplaintKind, data: ComplaintCreate | ReportCreate, today: date) -> Complaint:
    return Complaint(
        tracking_no=new_tracking_no(kind), kind=kind, category=data.category,
        respondent_subject_id=data.respondent_subject_id, order_ref=data.order_ref,
        waybill_ref=data.waybill_ref, description=data.description.strip(),
        attachment_refs=list(data.attachment_refs), filed_on=today, escalations=[],
        escalation_level=0, extended=False, anonymous=False,
    )  # fmt: skip
