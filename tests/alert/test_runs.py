"""Recorded detection runs over a real lake: each detector's counts and time, a failed detector
named with its error while the alerts before it stay, one run at a time, dead runs taken over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select

from ecredit.alert.run_schemas import DetectionRunRead
from ecredit.alert.runs import DetectionRunService, RunRequest, detection_runs
from ecredit.audit.context import acting_as
from ecredit.detection.engine import Lake, open_lake
from ecredit.detection.run import NAMES
from ecredit.kit.clock import FixedClock
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.kit.errors import AppError, Conflict, InvalidInput
from ecredit.models.alert import Alert
from ecredit.models.detection import (
    DetectionRun,
    DetectionStep,
    RunStatus,
    RunTrigger,
)
from tests.alert.lakes import (
    ACCOUNT_RINGS,
    BRUSHING,
    break_reviews,
    lake_of_unregistered_platform,
    lake_with_rings,
)

CLI = RunRequest(RunTrigger.CLI)


def _alerts(db: Database) -> int:
    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(Alert)) or 0


def _runs(db: Database) -> list[DetectionRun]:
    with db.unit_of_work() as session:
        return list(session.scalars(select(DetectionRun).order_by(DetectionRun.id)))


class Meanwhile:
    """Progress that tries a second run while the first is at its first detector."""

    def __init__(self, db: Database, lake: Lake) -> None:
        self.db, self.lake = db, lake
        self.refusal: AppError | None = None

    def planned(self, detectors: list[str]) -> None:
        pass

    def started(self, detector: str) -> None:
        if self.refusal is None:
            try:
                detection_runs.run(self.db, self.lake, RunRequest(RunTrigger.JOB))
            except Conflict as exc:
                self.refusal = exc

    def finished(self, step: DetectionStep) -> None:
        pass


class TestRecordedRun:
    def test_records_counts_and_times_of_each_detector_when_run_on_ring_lake(
        self, tmp_path: Path, db: Database, vault: Vault
    ) -> None:
        lake_with_rings(tmp_path, db, vault)
        with acting_as("cli:tester"):
            run = detection_runs.run(db, open_lake(str(tmp_path)), CLI)
        assert (run.status, run.engine, run.trigger) == (RunStatus.SUCCEEDED, "duckdb", "cli")
        assert run.requested_by == "cli:tester"
        assert run.running_slot is None
        assert run.error is None
        steps = {step.detector: step for step in run.steps}
        assert list(steps) == list(NAMES)
        brushing, rings = steps["brushing"], steps["account_ring"]
        assert (brushing.findings, brushing.raised, brushing.duplicate) == (BRUSHING, BRUSHING, 0)
        assert brushing.unknown_shop == 3  # S2–S4 are not registered
        assert (rings.findings, rings.raised) == (ACCOUNT_RINGS, ACCOUNT_RINGS)
        assert (steps["review_ring"].skipped or "").startswith("reviews: no Parquet file")
        assert 0 <= steps["price_fraud"].seconds < brushing.seconds  # skipped: no data
        shown = DetectionRunRead.model_validate(run)
        assert shown.seconds is not None
        assert shown.seconds >= sum(step.seconds for step in run.steps) - 0.01
        assert (shown.findings, shown.raised) == (5, 5)
        assert _alerts(db) == 5

    def test_counts_findings_not_raised_when_platform_not_registered(
        self, tmp_path: Path, db: Database, vault: Vault
    ) -> None:
        lake_of_unregistered_platform(tmp_path, db, vault)
        run = detection_runs.run(db, open_lake(str(tmp_path)), CLI)
        assert run.status is RunStatus.SUCCEEDED
        counted = [(s.detector, s.findings, s.raised, s.duplicate, s.unregistered_platform)
                   for s in run.steps if s.findings]  # fmt: skip
        assert counted == [("brushing", BRUSHING, 0, 0, BRUSHING),
                           ("account_ring", ACCOUNT_RINGS, 0, 0, ACCOUNT_RINGS)]  # fmt: skip
        shown = DetectionRunRead.model_validate(run)
        assert (shown.unregistered_platform, shown.duplicate, shown.raised) == (BRUSHING + 1, 0, 0)
        assert _alerts(db) == 0

    def test_counts_duplicates_when_run_again(
        self, tmp_path: Path, db: Database, vault: Vault
    ) -> None:
        lake_with_rings(tmp_path, db, vault)
        lake = open_lake(str(tmp_path))
        detection_runs.run(db, lake, CLI)
        again = detection_runs.run(db, lake, RunRequest(RunTrigger.CLI, ("account_ring",)))
        assert again.requested == ["account_ring"]
        assert [(s.detector, s.raised, s.duplicate) for s in again.steps] == [
            ("brushing", 0, BRUSHING),  # account rings bring brushing with them
            ("account_ring", 0, ACCOUNT_RINGS),
        ]
        assert len(_runs(db)) == 2
        assert _alerts(db) == 5

    def test_refuses_unknown_detector_naming_the_field(self, tmp_path: Path, db: Database) -> None:
        request = RunRequest(RunTrigger.CLI, ("brushing", "telepathy"))
        with pytest.raises(InvalidInput, match="unknown telepathy") as refused:
            detection_runs.run(db, open_lake(str(tmp_path)), request)
        assert refused.value.problems[0].field == "detectors"
        assert _runs(db) == []


class TestFailedRun:
    def test_names_detector_and_keeps_earlier_alerts_when_a_detector_fails(
        self, tmp_path: Path, db: Database, vault: Vault
    ) -> None:
        lake_with_rings(tmp_path, db, vault)
        break_reviews(tmp_path)
        lake = open_lake(str(tmp_path))
        run = detection_runs.run(db, lake, CLI)
        assert (run.status, run.failed_detector) == (RunStatus.FAILED, "review_ring")
        assert "No magic bytes" in (run.error or "")
        assert run.finished_at is not None
        assert run.running_slot is None
        assert [step.detector for step in run.steps] == ["brushing", "account_ring"]
        assert _alerts(db) == 5  # raised by the two detectors before the failure
        after = detection_runs.run(db, lake, RunRequest(RunTrigger.CLI, ("brushing",)))
        assert after.status is RunStatus.SUCCEEDED  # the failure freed the slot


class TestOneRunAtATime:
    def test_refuses_second_run_while_one_runs(self, tmp_path: Path, db: Database) -> None:
        lake = open_lake(str(tmp_path))
        meanwhile = Meanwhile(db, lake)
        first = detection_runs.run(db, lake, CLI, meanwhile)
        assert meanwhile.refusal is not None
        assert f"detection run {first.id} is running since" in meanwhile.refusal.message
        assert meanwhile.refusal.status_code == 409
        assert first.status is RunStatus.SUCCEEDED
        assert [run.id for run in _runs(db)] == [first.id]  # the refused one left nothing
        assert detection_runs.run(db, lake, CLI).status is RunStatus.SUCCEEDED

    def test_refuses_across_connections_when_committed(
        self, tmp_path: Path, engine: Engine
    ) -> None:
        """Each claim commits for real on its own connection, as two processes would."""
        first_db, second_db = Database(engine), Database(engine)
        lake = open_lake(str(tmp_path))
        meanwhile = Meanwhile(second_db, lake)
        try:
            first = detection_runs.run(first_db, lake, CLI, meanwhile)
            assert meanwhile.refusal is not None
            assert f"detection run {first.id} is running since" in meanwhile.refusal.message
            assert [run.id for run in _runs(second_db)] == [first.id]
        finally:
            with first_db.unit_of_work() as session:
                session.execute(delete(DetectionStep))
                session.execute(delete(DetectionRun))


NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)


def _running_since(db: Database, quiet_for: timedelta) -> int:
    with db.unit_of_work() as session:
        run = DetectionRun(engine="duckdb", trigger=RunTrigger.JOB, requested=[],
                           requested_by="job:alert.detect", status=RunStatus.RUNNING,
                           running_slot=True, started_at=NOW - quiet_for - timedelta(hours=1),
                           heartbeat_at=NOW - quiet_for)  # fmt: skip
        session.add(run)
        session.flush()
        return run.id


class TestAbandonedRun:
    def test_takes_over_when_running_run_is_quiet_beyond_stale_hours(
        self, tmp_path: Path, db: Database
    ) -> None:
        dead = _running_since(db, timedelta(hours=7))  # the parameter's default: 6 h
        service = DetectionRunService(FixedClock(NOW))
        run = service.run(db, open_lake(str(tmp_path)), CLI)
        assert run.status is RunStatus.SUCCEEDED
        with db.unit_of_work() as session:
            abandoned = session.get_one(DetectionRun, dead)
            assert (abandoned.status, abandoned.running_slot) == (RunStatus.FAILED, None)
            assert abandoned.finished_at == NOW
            assert (abandoned.error or "").startswith("abandoned: no detector finished for 6 h")

    def test_refuses_when_running_run_was_alive_recently(
        self, tmp_path: Path, db: Database
    ) -> None:
        alive = _running_since(db, timedelta(hours=5))
        service = DetectionRunService(FixedClock(NOW))
        with pytest.raises(Conflict, match=f"detection run {alive} is running since"):
            service.run(db, open_lake(str(tmp_path)), CLI)
