"""A record change re-evaluates its subject through the job table; the nightly job is due."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.config import Settings
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.jobs import Job, JobStatus
from ecredit.models.scoring import Grade, PlatformEvaluation, SubjectGrade
from ecredit.models.subject import VerificationMethod, VerificationStatus
from ecredit.record.schemas import RecordAmendment
from ecredit.scoring.jobs import EVALUATE_ALL, EVALUATE_SUBJECT
from ecredit.worker import load_job_handlers
from tests.factories import records as rec
from tests.factories import subjects as make


def queued(session: Session, subject_id: int) -> list[Job]:
    jobs = session.scalars(
        select(Job).where(Job.name == EVALUATE_SUBJECT, Job.status == JobStatus.QUEUED)
    )
    return [job for job in jobs if job.payload == {"subject_id": subject_id}]


def verified_merchant(session: Session, vault: Vault) -> int:
    merchant = make.enterprise(session, vault)
    merchant.verification_status = VerificationStatus.VERIFIED
    merchant.verification_method = VerificationMethod.LICENCE_CHECK
    session.flush()
    return merchant.id


class TestRecordChangeJobs:
    def test_one_job_per_subject_when_records_stored_twice(
        self, db: Database, vault: Vault
    ) -> None:
        records = rec.fixed_service(rec.beijing_today())[0]
        with db.unit_of_work() as session:
            merchant_id = verified_merchant(session, vault)
            records.submit(session, rec.penalty(merchant_id, rec.beijing_today()), SYSTEM)
            records.submit(session, rec.honour(merchant_id, rec.beijing_today()), SYSTEM)
            assert len(queued(session, merchant_id)) == 1

    def test_grade_follows_the_file_when_jobs_run(
        self, db: Database, vault: Vault, settings: Settings
    ) -> None:
        load_job_handlers()
        today = rec.beijing_today()
        records = rec.fixed_service(today)[0]
        jobs = JobService(registry, settings=settings)
        with db.unit_of_work() as session:
            merchant_id = verified_merchant(session, vault)
            brushing = records.submit(session, rec.dishonest(merchant_id, today), SYSTEM)
        jobs.run_due(db)
        with db.unit_of_work() as session:
            grade = session.get_one(SubjectGrade, merchant_id)
            assert (grade.score, grade.grade) == (560, Grade.C)
            assert queued(session, merchant_id) == []
            records.revoke(session, brushing.id, RecordAmendment(reason="撤销"), SYSTEM)
            assert len(queued(session, merchant_id)) == 1
        jobs.run_due(db)
        with db.unit_of_work() as session:
            grade = session.get_one(SubjectGrade, merchant_id)
            assert (grade.score, grade.grade) == (760, Grade.B)


class TestNightlyJob:
    def test_everything_evaluated_when_nightly_job_runs(
        self, db: Database, vault: Vault, settings: Settings
    ) -> None:
        load_job_handlers()
        assert registry.schedule[EVALUATE_ALL].every.total_seconds() == 24 * 3600
        with db.unit_of_work() as session:
            merchant_id = verified_merchant(session, vault)
            platform = make.platform(session, vault)
            platform_id = platform.id
            JobService(registry, settings=settings).enqueue(session, EVALUATE_ALL)
        JobService(registry, settings=settings).run_due(db)
        with db.unit_of_work() as session:
            assert session.get_one(SubjectGrade, merchant_id).score == 760
            assert session.get_one(SubjectGrade, platform_id).grade is Grade.C
            evaluation = session.scalar(
                select(PlatformEvaluation).where(PlatformEvaluation.platform_id == platform_id)
            )
            assert evaluation is not None
            assert evaluation.merchants == 0
