"""The detector run over a real lake: the scheduled job and `ecredit lake detect` raise each
finding once as an alert, matched to the registered shop; an empty lake skips, not fails."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ecredit.alert import jobs
from ecredit.authz.principals import SYSTEM
from ecredit.config import Settings
from ecredit.detection.engine import open_lake
from ecredit.detection.run import NAMES, run_detectors
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.alert import Alert, SubjectMatch
from ecredit.models.jobs import Job, JobStatus
from ecredit.subject.schemas import ShopCreate
from ecredit.subject.service import subject_service
from tests.detection.lake_fixture import ring_lake, write_orders
from tests.factories import subjects


def _lake_with_rings(settings: Settings, db: Database, vault: Vault) -> tuple[int, int]:
    """The ring lake under the settings' lake root, on a registered platform with shop S1."""
    with db.unit_of_work() as session:
        platform = subjects.platform(session, vault)
        merchant = subjects.enterprise(session, vault)
        shop = ShopCreate(
            platform_id=platform.id, merchant_id=merchant.id, shop_code="S1", name="一号店"
        )
        subject_service.add_shop(session, shop, SYSTEM)
        platform_id, merchant_id = platform.id, merchant.id
    orders = [dataclasses.replace(order, platform=platform_id) for order in ring_lake()]
    write_orders(Path(settings.resolved_lake_url), orders)
    return platform_id, merchant_id


def test_daily_job_raises_each_finding_once_matched_to_the_shop(
    settings: Settings, db: Database, vault: Vault
) -> None:
    platform_id, merchant_id = _lake_with_rings(settings, db, vault)
    runner = JobService(registry, settings=settings)
    for _ in range(2):  # the second run finds the same things and raises nothing new
        with db.unit_of_work() as session:
            runner.enqueue(session, jobs.DETECT_JOB)
        runner.run_due(db)
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


def test_a_detector_without_data_is_skipped_with_its_reason(tmp_path: Path) -> None:
    runs = run_detectors(open_lake(str(tmp_path / "empty-lake")))
    assert [run.name for run in runs] == list(NAMES)
    assert "review_ring" in NAMES
    assert all(run.skipped and not run.findings for run in runs)
    assert "orders: no Parquet file" in (runs[0].skipped or "")


def test_unknown_detector_is_named() -> None:
    with pytest.raises(ValueError, match="detectors: unknown telepathy"):
        run_detectors(open_lake("memory://nothing"), ["brushing", "telepathy"])
