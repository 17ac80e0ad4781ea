"""Shaping cases for the API: deadlines as they stand today, and the case's timeline."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ecredit.audit.schemas import TimelineRead
from ecredit.audit.service import audit_service
from ecredit.models.repair import RepairCase
from ecredit.repair.deadlines import overdue_steps, removal_met
from ecredit.repair.repository import ENTITY, repair_case_repository
from ecredit.repair.schemas import CaseDetail, CaseRead, PublicCaseReceipt

SEALED_PREFIX = "contact_"  # sealed contact data stays out of every view


def case_read(session: Session, case: RepairCase, today: date) -> CaseRead:
    entry = repair_case_repository.list_entry(session, case.list_entry_id)
    read = CaseRead.model_validate(
        {
            **{name: getattr(case, name) for name in CaseRead.model_fields if hasattr(case, name)},
            "overdue": [step.value for step in overdue_steps(case, entry, today)],
            "removal_met": removal_met(case, entry),
        }
    )
    return read


def case_detail(session: Session, case: RepairCase, today: date) -> CaseDetail:
    timeline = [
        TimelineRead(
            at=event.at,
            actor=event.actor,
            kind=event.kind,
            summary=event.summary,
            data={k: v for k, v in event.data.items() if not k.startswith(SEALED_PREFIX)},
        )
        for event in audit_service.timeline(session, ENTITY, case.id)
    ]
    return CaseDetail(**case_read(session, case, today).model_dump(), timeline=timeline)


def receipt(case: RepairCase) -> PublicCaseReceipt:
    return PublicCaseReceipt.model_validate(case, from_attributes=True)
