"""Enqueue, claim and run jobs.

Enqueue only adds a row to the caller's session: the job exists if and only if the caller's
transaction commits. The next job is the due one of highest priority, then longest due (then
oldest): a job someone waits for (`JobPriority.INTERACTIVE`) passes a backlog of background
work. Claiming is one conditional UPDATE (on PostgreSQL after a `FOR UPDATE SKIP LOCKED` pick),
so two workers never run the same job.
"""

from __future__ import annotations

import traceback
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ecredit.audit.context import acting_as
from ecredit.config import Settings
from ecredit.jobs.registry import DEFAULT_RETRY, JobRegistry
from ecredit.kit.clock import Clock, SystemClock
from ecredit.kit.db import Database
from ecredit.models.jobs import Job, JobPriority, JobStatus, ScheduleState

log = structlog.get_logger(__name__)
RETRY_BACKOFF = DEFAULT_RETRY.backoff


class JobService:
    def __init__(
        self, registry: JobRegistry, clock: Clock | None = None, settings: Settings | None = None
    ) -> None:
        self.registry = registry
        self.clock = clock or SystemClock()
        self.settings = settings

    def enqueue(
        self,
        session: Session,
        name: str,
        payload: dict[str, Any] | None = None,
        run_at: datetime | None = None,
        priority: JobPriority = JobPriority.BACKGROUND,
    ) -> Job:
        if name not in self.registry.handlers:
            raise ValueError(f"no job handler named {name!r}")
        job = Job(
            name=name,
            payload=payload or {},
            run_at=run_at or self.clock.now(),
            priority=priority,
            max_attempts=self.registry.retry_policy(name).max_attempts,
        )
        session.add(job)
        session.flush()
        return job

    def schedule_due(self, session: Session) -> int:
        """Enqueue every recurring job whose time has come; returns how many were enqueued."""
        now, count = self.clock.now(), 0
        for recurring in self.registry.schedule.values():
            state = session.get(ScheduleState, recurring.name, with_for_update=True)
            if state is None:
                state = ScheduleState(name=recurring.name, next_run_at=recurring.first_due(now))
                session.add(state)
            if state.next_run_at <= now:
                self.enqueue(session, recurring.name, dict(recurring.payload))
                state.next_run_at = recurring.due_after(now)
                count += 1
        session.flush()
        return count

    def run_due(self, db: Database, limit: int = 100) -> int:
        """Run up to `limit` due jobs, each in its own transaction; returns how many ran."""
        ran = 0
        while ran < limit:
            job_id = self._claim(db)
            if job_id is None:
                break
            self._run(db, job_id)
            ran += 1
        return ran

    def _claim(self, db: Database) -> int | None:
        """Mark the next due job as running and return its id; None when nothing is due."""
        while True:
            with db.unit_of_work() as session:
                pick = (
                    select(Job.id)
                    .where(Job.status == JobStatus.QUEUED, Job.run_at <= self.clock.now())
                    .order_by(Job.priority.desc(), Job.run_at, Job.id)
                    .limit(1)
                )
                if session.get_bind().dialect.name == "postgresql":
                    pick = pick.with_for_update(skip_locked=True)
                job_id = session.scalar(pick)
                if job_id is None:
                    return None
                claimed = session.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
                    .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1)
                )
                if claimed.rowcount == 1:  # type: ignore[attr-defined]
                    return job_id
            # Another worker took it between our pick and our update: pick again.

    def _run(self, db: Database, job_id: int) -> None:
        with db.unit_of_work() as session:
            job = session.get_one(Job, job_id)
            name, payload = job.name, dict(job.payload)
        try:
            with acting_as(f"job:{name}"), db.unit_of_work() as session:
                session.info["settings"] = self.settings
                session.info["database"] = db
                self.registry.handlers[name](session, payload)
        except Exception as exc:
            gave_up = self._finish(db, job_id, error=traceback.format_exc(limit=5))
            log.exception("job.failed", job_id=job_id, job=name)
            self._on_failure(db, name, payload, exc, gave_up)
            return
        self._finish(db, job_id, error=None)
        log.info("job.done", job_id=job_id, job=name)

    def _on_failure(
        self, db: Database, name: str, payload: dict[str, Any], exc: Exception, gave_up: bool
    ) -> None:
        """The policy's failure hook, in a unit of work of its own: the job is already
        rescheduled, so a failing hook is logged and never leaves the job stuck."""
        hook = self.registry.retry_policy(name).on_failure
        if hook is None:
            return
        try:
            with acting_as(f"job:{name}"), db.unit_of_work() as session:
                session.info["settings"] = self.settings
                hook(session, payload, exc, gave_up)
        except Exception:
            log.exception("job.failure_hook_failed", job=name)

    def _finish(self, db: Database, job_id: int, error: str | None) -> bool:
        """Record the outcome; True when the job failed for the last time."""
        with db.unit_of_work() as session:
            job = session.get_one(Job, job_id)
            job.finished_at = self.clock.now()
            job.last_error = error
            if error is None:
                job.status = JobStatus.DONE
            elif job.attempts < job.max_attempts:
                job.status = JobStatus.QUEUED
                job.run_at = self.clock.now() + self.registry.retry_policy(job.name).delay(
                    job.attempts
                )
            else:
                job.status = JobStatus.FAILED
            return job.status is JobStatus.FAILED
