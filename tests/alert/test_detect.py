"""The daily job `alert.detect` over a real lake: each finding raised once as an alert, matched
to the registered shop, and every run recorded; a failing detector fails the job with the run's
reason; an empty lake skips, not fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from ecredit.alert import jobs
from ecredit.config import Settings
from ecredit.detection.engine import open_lake
from ecredit.detection.run import NAMES, run_detectors
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.alert import Alert, SubjectMatch
from ecredit.models.detection import DetectionRun, RunStatus, RunTrigger
from ecredit.models.jobs import Job, JobStatus
from tests.alert.lakes import BRUSHING, break_reviews, lake_with_rings


def _run_job(settings: Settings, db: Database, payload: dict[str, object] | None = None) -> int:
    runner = JobService(registry, settings=settings)
    with db.unit_of_work() as session:
        job_id = runner.enqueue(session, jobs.DETECT_JOB, payload).id
    assert runner.run_due(db) == 1
    return job_id


def _recorded(db: Database) -> list[DetectionRun]:
    with db.unit_of_work() as session:
        return list(session.scalars(select(DetectionRun).order_by(DetectionRun.id)))


def test_daily_job_raises_each_finding_once_matched_to_the_shop(
    settings: Settings, db: Database, vault: Vault
) -> None:
    platform_id, merchant_id = lake_with_rings(Path(settings.resolved_lake_url), db, vault)
    for _ in range(2):  # the second run finds the same things and raises nothing new
        _run_job(settings, db)
    with db.unit_of_work() as session:
        alerts = session.scalars(select(Alert).order_by(Alert.id)).all()
        brushing = {a.shop_code: a for a in alerts if a.detector == "brushing"}
        assert set(brushing) == {"S1", "S2", "S3", "S4"}
        assert brushing["S1"].subject_match is SubjectMatch.MATCHED
        assert brushing["S1"].subject_id == merchant_id
        assert brushing["S2"].subject_match is SubjectMatch.UNKNOWN_SHOP
        assert {a.platform_id for a in alerts} == {platform_id}
        assert any(a.detector == "account_ring" for a in alerts)
        assert len({a.fingerprint for a in alerts}) == len(alerts)
        failed = select(func.count()).where(Job.status == JobStatus.FAILED)
        assert session.scalar(failed) == 0


def test_daily_job_records_its_runs(settings: Settings, db: Database, vault: Vault) -> None:
    lake_with_rings(Path(settings.resolved_lake_url), db, vault)
    for _ in range(2):
        _run_job(settings, db)
    first, second = _recorded(db)
    for run in (first, second):
        assert (run.trigger, run.status, run.engine) == (RunTrigger.JOB, RunStatus.SUCCEEDED,
                                                         "duckdb")  # fmt: skip
        assert run.requested_by == "job:alert.detect"
        assert [step.detector for step in run.steps] == list(NAMES)
    assert (first.steps[0].raised, second.steps[0].duplicate) == (BRUSHING, BRUSHING)


def test_job_queued_through_the_api_records_its_caller(
    settings: Settings, db: Database, vault: Vault
) -> None:
    lake_with_rings(Path(settings.resolved_lake_url), db, vault)
    payload = {"only": ["brushing"], "trigger": "api", "requested_by": "user:inspector"}
    _run_job(settings, db, payload)
    (run,) = _recorded(db)
    assert (run.trigger, run.requested_by, run.requested) == (RunTrigger.API, "user:inspector",
                                                              ["brushing"])  # fmt: skip
    assert [step.detector for step in run.steps] == ["brushing"]


def test_job_fails_with_the_runs_reason_when_a_detector_fails(
    settings: Settings, db: Database, vault: Vault
) -> None:
    root = Path(settings.resolved_lake_url)
    lake_with_rings(root, db, vault)
    break_reviews(root)
    job_id = _run_job(settings, db)
    (run,) = _recorded(db)
    assert (run.status, run.failed_detector) == (RunStatus.FAILED, "review_ring")
    with db.unit_of_work() as session:
        job = session.get_one(Job, job_id)
        assert job.status is JobStatus.QUEUED  # to be tried again later
        assert f"detection run {run.id} failed in review_ring" in (job.last_error or "")
        assert session.scalar(select(func.count()).select_from(Alert)) == 5  # kept


def test_a_detector_without_data_is_skipped_with_its_reason(tmp_path: Path) -> None:
    runs = run_detectors(open_lake(str(tmp_path / "empty-lake")))
    assert [run.name for run in runs] == list(NAMES)
    assert "review_ring" in NAMES
    assert all(run.skipped and not run.findings for run in runs)
    assert "orders: no Parquet file" in (runs[0].skipped or "")


def test_unknown_detector_is_named() -> None:
    with pytest.raises(ValueError, match="detectors: unknown telepathy"):
        run_detectors(open_lake("memory://nothing"), ["brushing", "telepathy"])
