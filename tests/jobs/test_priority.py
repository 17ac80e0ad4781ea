"""The runner takes the due job of highest priority first, then the longest due: a job someone
waits for passes a backlog of background jobs queued before it, never a job not yet due; and on
PostgreSQL a worker skips the job another worker holds and takes the next in that order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from ecredit.jobs.registry import JobRegistry
from ecredit.jobs.service import JobService
from ecredit.kit.clock import FixedClock
from ecredit.kit.db import Database
from ecredit.models.jobs import Job, JobPriority, JobStatus

START = datetime(2026, 9, 30, 8, 0, tzinfo=UTC)
INTERACTIVE = JobPriority.INTERACTIVE


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def ran() -> list[Any]:
    return []


@pytest.fixture
def jobs(clock: FixedClock, ran: list[Any]) -> JobService:
    registry = JobRegistry()
    registry.handler("test.record")(lambda session, payload: ran.append(payload["n"]))
    return JobService(registry, clock)


def _queue(db: Database, jobs: JobService, *entries: tuple[int, timedelta, JobPriority]) -> None:
    """Jobs (n, due relative to now, priority), enqueued in this order."""
    with db.unit_of_work() as session:
        for n, due, priority in entries:
            jobs.enqueue(session, "test.record", {"n": n}, START + due, priority=priority)


class TestPriority:
    def test_later_interactive_job_runs_before_earlier_background_ones(
        self, db: Database, jobs: JobService, ran: list[Any]
    ) -> None:
        background = JobPriority.BACKGROUND
        _queue(db, jobs, (1, -timedelta(hours=2), background), (2, -timedelta(hours=1), background),
               (3, timedelta(0), INTERACTIVE), (4, -timedelta(hours=3), background))  # fmt: skip
        assert jobs.run_due(db) == 4
        assert ran == [3, 4, 1, 2]  # then the longest due first

    def test_interactive_job_not_yet_due_waits_for_its_time(
        self, db: Database, jobs: JobService, clock: FixedClock, ran: list[Any]
    ) -> None:
        _queue(db, jobs, (1, timedelta(0), JobPriority.BACKGROUND),
               (2, timedelta(minutes=5), INTERACTIVE))  # fmt: skip
        assert jobs.run_due(db) == 1
        clock.advance(timedelta(minutes=5))
        assert (jobs.run_due(db), ran) == (1, [1, 2])

    def test_oldest_first_among_equal_priority_and_due_time(
        self, db: Database, jobs: JobService, ran: list[Any]
    ) -> None:
        _queue(db, jobs, *[(n, timedelta(0), INTERACTIVE) for n in (5, 6, 7)])
        assert (jobs.run_due(db), ran) == (3, [5, 6, 7])


def test_worker_skips_job_another_holds_and_takes_next_by_priority(
    scratch_pg: Database, jobs: JobService, ran: list[Any]
) -> None:
    background = JobPriority.BACKGROUND
    _queue(scratch_pg, jobs, (1, -timedelta(hours=1), background),
           (2, timedelta(0), INTERACTIVE), (3, timedelta(0), INTERACTIVE))  # fmt: skip
    # Another worker holds the first pick, as a worker does mid-claim.
    with scratch_pg.unit_of_work() as other_worker:
        held = other_worker.scalar(
            select(Job).where(Job.payload["n"].as_integer() == 2).with_for_update()
        )
        assert held is not None
        assert jobs.run_due(scratch_pg, limit=2) == 2
        assert ran == [3, 1]
    with scratch_pg.unit_of_work() as session:
        assert session.get_one(Job, held.id).status is JobStatus.QUEUED
    assert (jobs.run_due(scratch_pg), ran) == (1, [3, 1, 2])
