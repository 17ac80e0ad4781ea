"""Jobs: enqueued in the caller's transaction, claimed once, retried, then failed."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.audit.context import current_actor
from ecredit.jobs.registry import JobRegistry
from ecredit.jobs.service import RETRY_BACKOFF, JobService
from ecredit.kit.clock import FixedClock
from ecredit.kit.db import Database
from ecredit.models import Job, JobStatus, ScheduleState

START = datetime(2026, 9, 30, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def registry() -> JobRegistry:
    return JobRegistry()


@pytest.fixture
def jobs(registry: JobRegistry, clock: FixedClock) -> JobService:
    return JobService(registry, clock)


def _due(session: Session, name: str) -> datetime:
    due = session.get_one(ScheduleState, name).next_run_at
    return due if due.tzinfo else due.replace(tzinfo=UTC)


def _count(session: Session, *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(Job).where(*where)) or 0


class TestEnqueue:
    def test_leaves_no_job_when_callers_transaction_rolls_back(
        self, db: Database, registry: JobRegistry, jobs: JobService
    ) -> None:
        registry.handler("test.noop")(lambda session, payload: None)

        def business_write_that_fails() -> None:
            with db.unit_of_work() as session:
                jobs.enqueue(session, "test.noop", {"n": 1})
                assert _count(session) == 1
                raise RuntimeError("the business write failed")

        with pytest.raises(RuntimeError):
            business_write_that_fails()
        with db.unit_of_work() as session:
            assert _count(session) == 0

    def test_refuses_when_no_handler_has_that_name(
        self, session: Session, jobs: JobService
    ) -> None:
        with pytest.raises(ValueError, match=r"test\.unknown"):
            jobs.enqueue(session, "test.unknown")

    def test_refuses_when_handler_registered_twice(self, registry: JobRegistry) -> None:
        registry.handler("test.once")(lambda session, payload: None)
        with pytest.raises(ValueError, match="registered twice"):
            registry.handler("test.once")(lambda session, payload: None)


class TestRunDue:
    def test_runs_handler_as_job_actor_when_job_is_due(
        self, db: Database, registry: JobRegistry, jobs: JobService, clock: FixedClock
    ) -> None:
        seen: list[tuple[dict[str, Any], str]] = []
        registry.handler("test.record")(
            lambda session, payload: seen.append((payload, current_actor()))
        )
        with db.unit_of_work() as session:
            job_id = jobs.enqueue(session, "test.record", {"subject_id": 7}).id
            jobs.enqueue(session, "test.record", {"later": True}, run_at=START + timedelta(hours=1))

        assert jobs.run_due(db) == 1
        assert seen == [({"subject_id": 7}, "job:test.record")]
        with db.unit_of_work() as session:
            job = session.get_one(Job, job_id)
            assert (job.status, job.attempts, job.finished_at) == (JobStatus.DONE, 1, START)
            assert job.last_error is None

        clock.advance(timedelta(hours=1))
        assert jobs.run_due(db) == 1
        assert jobs.run_due(db) == 0

    def test_retries_then_fails_when_handler_keeps_raising(
        self, db: Database, registry: JobRegistry, jobs: JobService, clock: FixedClock
    ) -> None:
        calls: list[int] = []

        @registry.handler("test.broken")
        def broken(session: Session, payload: dict[str, Any]) -> None:
            calls.append(1)
            raise RuntimeError("upstream down")

        with db.unit_of_work() as session:
            job_id = jobs.enqueue(session, "test.broken").id

        for attempt in (1, 2):
            assert jobs.run_due(db) == 1
            assert jobs.run_due(db) == 0  # backing off: not due again yet
            with db.unit_of_work() as session:
                job = session.get_one(Job, job_id)
                assert (job.status, job.attempts) == (JobStatus.QUEUED, attempt)
                assert "upstream down" in (job.last_error or "")
                assert job.run_at == clock.now() + RETRY_BACKOFF * attempt
            clock.advance(RETRY_BACKOFF * attempt)

        assert jobs.run_due(db) == 1
        with db.unit_of_work() as session:
            job = session.get_one(Job, job_id)
            assert (job.status, job.attempts) == (JobStatus.FAILED, 3)
        clock.advance(timedelta(days=1))
        assert jobs.run_due(db) == 0
        assert len(calls) == 3

    def test_rolls_back_handler_writes_when_handler_fails(
        self, db: Database, registry: JobRegistry, jobs: JobService
    ) -> None:
        @registry.handler("test.half_done")
        def half_done(session: Session, payload: dict[str, Any]) -> None:
            session.add(ScheduleState(name="written-by-handler", next_run_at=START))
            session.flush()
            raise RuntimeError("after the write")

        with db.unit_of_work() as session:
            jobs.enqueue(session, "test.half_done")
        jobs.run_due(db)
        with db.unit_of_work() as session:
            assert session.get(ScheduleState, "written-by-handler") is None


class TestScheduleDue:
    def test_nightly_job_waits_for_its_hour_in_beijing_then_runs_once_a_night(
        self, db: Database, registry: JobRegistry, jobs: JobService, clock: FixedClock
    ) -> None:
        registry.handler("test.night")(lambda session, payload: None)
        registry.nightly("test.night", at=time(2, 0))
        two_am_beijing = datetime(2026, 9, 30, 18, 0, tzinfo=UTC)  # START is 16:00 in Beijing

        with db.unit_of_work() as session:
            assert jobs.schedule_due(session) == 0
            assert _due(session, "test.night") == two_am_beijing
        clock.advance(two_am_beijing - START - timedelta(seconds=1))
        with db.unit_of_work() as session:
            assert jobs.schedule_due(session) == 0
        clock.advance(timedelta(minutes=7))  # the worker's tick comes a little late
        with db.unit_of_work() as session:
            assert jobs.schedule_due(session) == 1
            assert jobs.schedule_due(session) == 0
            assert _due(session, "test.night") == two_am_beijing + timedelta(days=1)
        clock.advance(timedelta(days=3))  # the runner was down for three nights: one catch-up
        with db.unit_of_work() as session:
            assert jobs.schedule_due(session) == 1
            assert _due(session, "test.night") == two_am_beijing + timedelta(days=4)

    def test_enqueues_once_per_interval_when_called_repeatedly(
        self, db: Database, registry: JobRegistry, jobs: JobService, clock: FixedClock
    ) -> None:
        registry.handler("test.tick")(lambda session, payload: None)
        registry.every("test.tick", timedelta(hours=1), {"scope": "all"})

        with db.unit_of_work() as session:
            assert jobs.schedule_due(session) == 1
            assert jobs.schedule_due(session) == 0
        clock.advance(timedelta(minutes=59))
        with db.unit_of_work() as session:
            assert jobs.schedule_due(session) == 0
        clock.advance(timedelta(minutes=1))
        with db.unit_of_work() as session:
            assert jobs.schedule_due(session) == 1
            assert session.get_one(ScheduleState, "test.tick").next_run_at == START + timedelta(
                hours=2
            )
            queued = session.scalars(select(Job).where(Job.name == "test.tick")).all()
            assert [job.payload for job in queued] == [{"scope": "all"}, {"scope": "all"}]
