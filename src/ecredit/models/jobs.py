"""The job table: work enqueued inside the caller's transaction and run by a worker."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any

from sqlalchemy import Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import JSONVariant, StrEnumType, UTCDateTime
from ecredit.models.base import Base, utcnow


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobPriority(IntEnum):
    """Which due job a runner takes first: the highest priority, then the longest due. Nearly
    every job is background work; a job someone waits for on screen (a detection run asked for
    from the portal, the API or the demo) goes ahead of a backlog of background jobs instead of
    behind it, without a second queue or a second runner."""

    BACKGROUND = 0
    INTERACTIVE = 10


class Job(Base):
    """One unit of background work, named "<domain>.<verb_object>", with a JSON payload."""

    __tablename__ = "job"
    # The runner's pick: queued jobs by priority, then due time (see JobPriority).
    __table_args__ = (Index("ix_job_due", "status", "priority", "run_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONVariant, default=dict)
    status: Mapped[JobStatus] = mapped_column(StrEnumType(JobStatus), default=JobStatus.QUEUED)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    priority: Mapped[int] = mapped_column(SmallInteger, default=JobPriority.BACKGROUND)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ScheduleState(Base):
    """When each scheduled job next falls due; the schedule itself is declared in code."""

    __tablename__ = "schedule_state"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime)
