"""Per-job retry policies: attempts, linear or exponential backoff, and the failure hook."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from ecredit.jobs.registry import DEFAULT_RETRY, JobRegistry, RetryPolicy
from ecredit.jobs.service import RETRY_BACKOFF, JobService
from ecredit.kit.clock import FixedClock
from ecredit.kit.db import Database
from ecredit.models import Job, JobStatus, ScheduleState

START = datetime(2026, 9, 30, 8, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def registry() -> JobRegistry:
    return JobRegistry()


@pytest.fixture
def jobs(registry: JobRegistry, clock: FixedClock) -> JobService:
    return JobService(registry, clock)


def _failing(registry: JobRegistry, name: str, policy: RetryPolicy) -> None:
    def handler(session: Session, payload: dict[str, Any]) -> None:
        raise RuntimeError("receiver down")

    registry.handler(name, retry=policy)(handler)


class TestDelay:
    def test_grows_linearly_when_policy_is_default(self) -> None:
        assert [DEFAULT_RETRY.delay(n) for n in (1, 2, 3)] == [RETRY_BACKOFF * n for n in (1, 2, 3)]
        assert DEFAULT_RETRY.max_attempts == 3

    def test_doubles_up_to_the_cap_when_exponential(self) -> None:
        policy = RetryPolicy(backoff=MINUTE, exponential=True, max_backoff=10 * MINUTE)
        assert [policy.delay(n) for n in range(1, 7)] == [MINUTE * m for m in (1, 2, 4, 8, 10, 10)]


class TestPolicyInRunner:
    def test_uses_policy_attempts_and_backoff_when_handler_has_a_policy(
        self, db: Database, registry: JobRegistry, jobs: JobService, clock: FixedClock
    ) -> None:
        policy = RetryPolicy(max_attempts=4, backoff=MINUTE, exponential=True)
        _failing(registry, "test.flaky", policy)
        with db.unit_of_work() as session:
            job_id = jobs.enqueue(session, "test.flaky").id
            assert session.get_one(Job, job_id).max_attempts == 4
        for attempt in (1, 2, 3):
            assert jobs.run_due(db) == 1
            with db.unit_of_work() as session:
                assert session.get_one(Job, job_id).run_at == clock.now() + policy.delay(attempt)
            clock.advance(policy.delay(attempt))
        assert jobs.run_due(db) == 1
        with db.unit_of_work() as session:
            assert session.get_one(Job, job_id).status is JobStatus.FAILED

    def test_hook_records_each_failure_in_its_own_transaction_when_handler_fails(
        self, db: Database, registry: JobRegistry, jobs: JobService, clock: FixedClock
    ) -> None:
        seen: list[tuple[dict[str, Any], str, bool]] = []

        def hook(session: Session, payload: dict[str, Any], exc: BaseException, last: bool) -> None:
            seen.append((payload, str(exc), last))
            session.add(ScheduleState(name=f"failure-{len(seen)}", next_run_at=START))

        _failing(registry, "test.hooked", RetryPolicy(max_attempts=2, on_failure=hook))
        with db.unit_of_work() as session:
            jobs.enqueue(session, "test.hooked", {"delivery_id": 7})
        jobs.run_due(db)
        clock.advance(timedelta(hours=1))
        jobs.run_due(db)
        assert seen == [
            ({"delivery_id": 7}, "receiver down", False),
            ({"delivery_id": 7}, "receiver down", True),
        ]
        with db.unit_of_work() as session:
            assert session.get(ScheduleState, "failure-1") is not None
            assert session.get(ScheduleState, "failure-2") is not None

    def test_job_still_rescheduled_when_hook_itself_fails(
        self, db: Database, registry: JobRegistry, jobs: JobService
    ) -> None:
        def hook(session: Session, payload: dict[str, Any], exc: BaseException, last: bool) -> None:
            raise ValueError("hook broken")

        _failing(registry, "test.bad_hook", RetryPolicy(on_failure=hook))
        with db.unit_of_work() as session:
            job_id = jobs.enqueue(session, "test.bad_hook").id
        jobs.run_due(db)
        with db.unit_of_work() as session:
            job = session.get_one(Job, job_id)
            assert (job.status, job.attempts) == (JobStatus.QUEUED, 1)
