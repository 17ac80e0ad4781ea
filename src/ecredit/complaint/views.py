"""Shaping complaints for readers: the filer's receipt and public tracking (status and
deadlines only), and the staff view with the contact masked, the timeline and the payouts."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ecredit.audit.schemas import TimelineRead
from ecredit.audit.service import audit_service
from ecredit.complaint import compensation, filing
from ecredit.complaint.deadlines import open_steps
from ecredit.complaint.repository import ENTITY
from ecredit.complaint.schemas import (
    ComplaintDetail,
    ComplaintRead,
    DeadlineRead,
    Receipt,
    TrackingEvent,
    TrackingRead,
)
from ecredit.kit.clock import local_date
from ecredit.kit.crypto import Vault
from ecredit.kit.masking import PersonalField, mask
from ecredit.models.complaint import Complaint


def deadlines(complaint: Complaint, today: date) -> list[DeadlineRead]:
    return [
        DeadlineRead(step=step.value, due=due, overdue=today > due)
        for step, due in open_steps(complaint)
    ]


def receipt(complaint: Complaint, today: date) -> Receipt:
    return Receipt(
        tracking_no=complaint.tracking_no, kind=complaint.kind, status=complaint.status,
        filed_on=complaint.filed_on, deadlines=deadlines(complaint, today),
    )  # fmt: skip


def tracking(session: Session, complaint: Complaint, today: date) -> TrackingRead:
    history = [
        TrackingEvent(on=local_date(event.at), event=event.kind.removeprefix("complaint_"))
        for event in audit_service.timeline(session, ENTITY, complaint.id)
    ]
    return TrackingRead(
        **receipt(complaint, today).model_dump(), category=complaint.category,
        closed_on=complaint.closed_on, escalation_level=complaint.escalation_level,
        history=history,
    )  # fmt: skip


def staff_read(vault: Vault, complaint: Complaint, today: date) -> ComplaintRead:
    """Every field but the sealed ones; name and phone opened only to be masked."""
    opened = {
        "complainant_name": _masked(vault, complaint.complainant_name_sealed, filing.NAME,
                                    PersonalField.PERSON_NAME),
        "complainant_phone": _masked(vault, complaint.complainant_phone_sealed, filing.PHONE,
                                     PersonalField.PHONE),
    }  # fmt: skip
    fields = {
        name: getattr(complaint, name)
        for name in ComplaintRead.model_fields
        if hasattr(complaint, name)
    }
    return ComplaintRead.model_validate(
        fields | opened | {"deadlines": deadlines(complaint, today)}
    )


def detail(session: Session, vault: Vault, complaint: Complaint, today: date) -> ComplaintDetail:
    timeline = [
        TimelineRead.model_validate(event)
        for event in audit_service.timeline(session, ENTITY, complaint.id)
    ]
    return ComplaintDetail(
        **staff_read(vault, complaint, today).model_dump(), timeline=timeline,
        payouts=compensation.payouts(session, complaint),
    )  # fmt: skip


def _masked(vault: Vault, sealed: str | None, context: str, kind: PersonalField) -> str | None:
    return None if sealed is None else mask(kind, vault.cipher.decrypt(sealed, context))
