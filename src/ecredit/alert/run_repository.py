"""Queries of detection runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.kit.paging import Page, PageRequest
from ecredit.models.detection import DetectionRun, RunStatus
from ecredit.models.jobs import Job, JobStatus


def running(session: Session) -> DetectionRun | None:
    """The run holding the running slot, if any."""
    return session.scalar(select(DetectionRun).where(DetectionRun.running_slot.is_(True)))


def stale(session: Session, quiet_since: datetime) -> list[DetectionRun]:
    """Runs still marked running whose last sign of life is older than `quiet_since`."""
    query = select(DetectionRun).where(
        DetectionRun.status == RunStatus.RUNNING, DetectionRun.heartbeat_at < quiet_since
    )
    return list(session.scalars(query.with_for_update()))


def queued_job(session: Session, name: str) -> Job | None:
    """The first queued (or waiting to retry) job of that name."""
    query = select(Job).where(Job.name == name, Job.status == JobStatus.QUEUED)
    return session.scalar(query.order_by(Job.id).limit(1))


def page(session: Session, request: PageRequest) -> Page[DetectionRun]:
    """Runs newest first, each with its steps."""
    total = session.scalar(select(func.count()).select_from(DetectionRun)) or 0
    query = select(DetectionRun).order_by(DetectionRun.id.desc())
    rows = session.scalars(query.offset(request.offset).limit(request.size))
    return Page(list(rows), total, request.page, request.size)
