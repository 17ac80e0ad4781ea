"""Queries of the early warning: its inputs read straight from the models of the domains below
(alerts, complaints, credit records, list entries), and the stored warnings."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ecredit.kit.paging import Page, PageRequest
from ecredit.models.alert import Alert, AlertStatus
from ecredit.models.complaint import Complaint
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.record import CreditRecord, EntryAction
from ecredit.models.subject import Subject
from ecredit.models.warning import SubjectWarning, WarningLevel
from ecredit.warning.schemas import WarningFilter

LIVE_ALERTS = (AlertStatus.OPEN, AlertStatus.CONFIRMED)
# A record is in force from its decision: a correction may move the decision date.
VERSIONS = (EntryAction.ORIGINAL, EntryAction.CORRECTION)


def alerts_about(session: Session, subject_id: int, since: datetime) -> list[Alert]:
    query = select(Alert).where(
        Alert.subject_id == subject_id,
        Alert.status.in_(LIVE_ALERTS),
        Alert.created_at >= since,
    )
    return list(session.scalars(query.order_by(Alert.id)))


def complaint_counts(
    session: Session, subject_id: int, today: date, period_days: int, periods: int
) -> tuple[int, int]:
    """Complaints against the subject filed in the latest period (ending today) and in the
    `periods` periods before it."""
    latest_start = today - timedelta(days=period_days - 1)
    baseline_start = latest_start - timedelta(days=period_days * periods)
    base = select(func.count(Complaint.id)).where(Complaint.respondent_subject_id == subject_id)
    latest = base.where(Complaint.filed_on >= latest_start, Complaint.filed_on <= today)
    before = base.where(Complaint.filed_on >= baseline_start, Complaint.filed_on < latest_start)
    return session.scalar(latest) or 0, session.scalar(before) or 0


def record_entries(
    session: Session, subject_id: int, type_codes: Collection[str]
) -> list[CreditRecord]:
    """Every entry (originals and amendments) of the subject's records of the given types."""
    originals = select(CreditRecord.id).where(
        CreditRecord.subject_id == subject_id,
        CreditRecord.type_code.in_(sorted(type_codes)),
        CreditRecord.action == EntryAction.ORIGINAL,
    )
    query = select(CreditRecord).where(
        (CreditRecord.id.in_(originals)) | (CreditRecord.amends_id.in_(originals))
    )
    return list(session.scalars(query.order_by(CreditRecord.id)))


def effective_entries(
    session: Session, subject_id: int, kinds: Collection[str], since: date
) -> list[ListEntry]:
    query = select(ListEntry).where(
        ListEntry.subject_id == subject_id,
        ListEntry.list_kind.in_(sorted(kinds)),
        ListEntry.status == ListStatus.EFFECTIVE,
        ListEntry.effective_from >= since,
    )
    return list(session.scalars(query.order_by(ListEntry.id)))


def candidates(
    session: Session,
    since: datetime,
    since_day: date,
    complaints_from: date,
    type_codes: Collection[str],
    kinds: Collection[str],
) -> set[int]:
    """Subjects with any input in the window, and every subject warned now (so that a warning
    whose inputs aged out is cleared)."""
    queries: list[Select[Any]] = [
        select(Alert.subject_id).where(Alert.status.in_(LIVE_ALERTS), Alert.created_at >= since),
        select(Complaint.respondent_subject_id).where(Complaint.filed_on >= complaints_from),
        select(CreditRecord.subject_id).where(
            CreditRecord.type_code.in_(sorted(type_codes)),
            CreditRecord.action.in_(VERSIONS),
            func.coalesce(CreditRecord.decision_date, func.date(CreditRecord.recorded_at))
            >= since_day,
        ),
        select(ListEntry.subject_id).where(
            ListEntry.list_kind.in_(sorted(kinds)),
            ListEntry.status == ListStatus.EFFECTIVE,
            ListEntry.effective_from >= since_day,
        ),
        select(SubjectWarning.subject_id).where(SubjectWarning.level != WarningLevel.NONE),
    ]
    found: set[int] = set()
    for query in queries:
        found.update(s for s in session.scalars(query.distinct()) if s is not None)
    return found


def stored(session: Session, subject_id: int) -> SubjectWarning | None:
    """The subject's warning, locked until commit: two recomputes do not both change it. The
    subject's row is locked first, so two first assessments (no warning row to lock yet) queue
    instead of both inserting one (PostgreSQL; SQLite serialises writers anyway)."""
    session.execute(select(Subject.id).where(Subject.id == subject_id).with_for_update())
    query = select(SubjectWarning).where(SubjectWarning.subject_id == subject_id)
    return session.scalar(query.with_for_update())


def page(session: Session, request: PageRequest, where: WarningFilter) -> Page[SubjectWarning]:
    """Warnings highest score first; without a level, every level above none."""
    query = select(SubjectWarning).join(Subject, Subject.id == SubjectWarning.subject_id)
    if where.level is not None:
        query = query.where(SubjectWarning.level == where.level)
    else:
        query = query.where(SubjectWarning.level != WarningLevel.NONE)
    if where.region:
        query = query.where(Subject.region_code.startswith(where.region, autoescape=True))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ordered = query.order_by(SubjectWarning.score.desc(), SubjectWarning.subject_id)
    rows = session.scalars(ordered.offset(request.offset).limit(request.size))
    return Page(list(rows), total, request.page, request.size)


def level_counts(session: Session) -> dict[WarningLevel, int]:
    query = select(SubjectWarning.level, func.count()).group_by(SubjectWarning.level)
    counts = dict.fromkeys(WarningLevel, 0)
    counts.update({WarningLevel(level): n for level, n in session.execute(query)})
    return counts
