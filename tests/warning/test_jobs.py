"""The daily job: every candidate subject recomputed, and a second run changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ecredit.config import Settings
from ecredit.jobs.events import FAN_OUT_JOB
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.clock import FixedClock
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.audit import TimelineEvent
from ecredit.models.jobs import Job, JobStatus
from ecredit.models.warning import SubjectWarning, WarningLevel
from ecredit.warning import jobs
from tests.factories import subjects
from tests.factories import warnings as make
from tests.factories.records import noon
from tests.factories.subjects import vault  # noqa: F401
from tests.warning.conftest import DAY


class TestRecomputeJob:
    def test_job_warns_each_subject_once_when_run_twice(
        self,
        db: Database,
        settings: Settings,
        vault: Vault,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(jobs, "clock", FixedClock(noon(DAY)))
        with db.unit_of_work() as session:
            platform = subjects.platform(session, vault)
            black, spiking, quiet = (subjects.enterprise(session, vault) for _ in range(3))
            make.list_entry(session, black.id, "ecommerce_serious_dishonesty", DAY)
            make.complaints(session, spiking.id, DAY - timedelta(days=2), 5)
            make.alert(session, platform.id, quiet.id, noon(DAY) - timedelta(days=200))
        runner = JobService(registry, settings=settings)
        for _ in range(2):
            with db.unit_of_work() as session:
                runner.enqueue(session, jobs.RECOMPUTE_JOB)
            runner.run_due(db)
        with db.unit_of_work() as session:
            rows = session.scalars(select(SubjectWarning).order_by(SubjectWarning.subject_id))
            assert {(w.subject_id, w.level) for w in rows} == {
                (black.id, WarningLevel.WARNING),
                (spiking.id, WarningLevel.ATTENTION),
            }
            events = select(func.count()).where(TimelineEvent.kind == "warning_level_changed")
            assert session.scalar(events) == 2
            fan_outs = session.scalars(select(Job).where(Job.name == FAN_OUT_JOB)).all()
            emitted = [j for j in fan_outs if j.payload["event_type"] == "warning.level_changed"]
            assert len(emitted) == 2
            failed = select(func.count()).where(Job.status == JobStatus.FAILED)
            assert session.scalar(failed) == 0
        assert registry.schedule[jobs.RECOMPUTE_JOB].every == timedelta(days=1)
