"""Crafted inputs of the early warning, each dated exactly: alerts, complaints, credit records
and list entries written as rows (the domains' own workflows are tested in their packages)."""

from __future__ import annotations

import itertools
from datetime import date, datetime

from sqlalchemy.orm import Session

from ecredit.models.alert import Alert, AlertStatus, SubjectMatch
from ecredit.models.complaint import Complaint, ComplaintCategory, ComplaintKind, ComplaintStatus
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.record import CreditRecord, EntryAction, Severity

_serial = itertools.count(1)


def alert(
    session: Session, platform_id: int, subject_id: int, raised_at: datetime,
    status: AlertStatus = AlertStatus.OPEN, detector: str = "brushing",
) -> Alert:  # fmt: skip
    row = Alert(
        fingerprint=f"warning-test-{next(_serial)}", detector=detector,
        record_type="order_brushing", platform_id=platform_id, subject_id=subject_id,
        subject_match=SubjectMatch.MATCHED, score=0.9, status=status, created_at=raised_at,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def complaints(session: Session, subject_id: int, filed_on: date, count: int = 1) -> None:
    for _ in range(count):
        session.add(Complaint(
            tracking_no=f"WT{next(_serial):010d}", kind=ComplaintKind.COMPLAINT,
            status=ComplaintStatus.PLATFORM, category=ComplaintCategory.QUALITY,
            respondent_subject_id=subject_id, description="商品与描述不符", filed_on=filed_on,
        ))  # fmt: skip
    session.flush()


def record(
    session: Session, subject_id: int, decided_on: date | None,
    severity: Severity | None = Severity.GENERAL, type_code: str = "administrative_penalty",
    **values: object,
) -> CreditRecord:  # fmt: skip
    row = CreditRecord(subject_id=subject_id, type_code=type_code, action=EntryAction.ORIGINAL,
                       severity=severity, decision_date=decided_on, recorded_by="test",
                       **values)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def revoke(session: Session, original: CreditRecord) -> None:
    session.add(CreditRecord(subject_id=original.subject_id, type_code=original.type_code,
                             action=EntryAction.REVOCATION, amends_id=original.id,
                             recorded_by="test", reason="决定被撤销"))  # fmt: skip
    session.flush()


def list_entry(
    session: Session, subject_id: int, list_kind: str, effective_from: date,
    status: ListStatus = ListStatus.EFFECTIVE,
) -> ListEntry:  # fmt: skip
    row = ListEntry(subject_id=subject_id, list_kind=list_kind, status=status, origin="decision",
                    reason="严重失信", effective_from=effective_from)  # fmt: skip
    session.add(row)
    session.flush()
    return row
