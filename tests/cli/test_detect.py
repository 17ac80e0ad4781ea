"""`ecredit detect run|runs` against a real, freshly migrated SQLite file and a local lake."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ecredit.cli.main import app
from ecredit.config import Settings
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.alert import Alert
from ecredit.models.detection import DetectionRun, RunStatus, RunTrigger
from tests.alert.lakes import break_reviews, lake_with_rings
from tests.support.cli import runner, stored


@pytest.fixture
def database(data_dir: Path) -> Iterator[Database]:
    database = stored(data_dir)
    yield database
    database.dispose()


@pytest.fixture
def ring_lake(data_dir: Path, database: Database) -> Path:
    lake = data_dir / "lake"
    lake_with_rings(lake, database, Vault.from_settings(Settings(data_dir=data_dir)))
    return lake


class TestDetectRun:
    def test_records_runs_and_raises_alerts_once(self, ring_lake: Path) -> None:
        first = runner.invoke(app, ["detect", "run"])
        assert first.exit_code == 0, first.output
        assert "detection run / 监测运行 1 (duckdb): succeeded / 成功" in first.output
        assert "traffic: no" in first.output  # skipped, with the reason
        assert "新预警 5" in first.output  # four brushing shops and one account ring
        again = runner.invoke(app, ["detect", "run", "--detector", "brushing"])
        assert again.exit_code == 0, again.output
        assert "新预警 0" in again.output
        assert "已有 4" in again.output
        listed = runner.invoke(app, ["detect", "runs"])
        assert listed.exit_code == 0, listed.output
        assert "detection runs / 监测运行 (2)" in listed.output
        assert listed.output.count("cli duckdb") == 2
        assert listed.output.count("succeeded") == 2
        shown = runner.invoke(app, ["detect", "show", "2"])
        assert shown.exit_code == 0, shown.output
        assert "detection run / 监测运行 2" in shown.output
        assert "brushing" in shown.output
        assert "已有 4" in shown.output
        assert "本次重复 0" in shown.output
        assert "平台未登记 0" in shown.output

    def test_shows_thresholds_used_when_one_was_changed(self, ring_lake: Path) -> None:
        changed = runner.invoke(
            app, ["param", "set", "detection.brushing.min_ratio", "4", "--reason", "更严"]
        )
        assert changed.exit_code == 0, changed.output
        run = runner.invoke(app, ["detect", "run", "--detector", "brushing"])
        assert run.exit_code == 0, run.output
        assert "新预警 0" in run.output  # each planted episode has 3 orders of one buyer
        shown = runner.invoke(app, ["detect", "show", "1"])
        assert shown.exit_code == 0, shown.output
        assert "所用阈值" in shown.output
        lines = [line for line in shown.output.splitlines() if "detection.brushing." in line]
        assert len(lines) == 2
        assert any("min_ratio" in line and "4.0" in line for line in lines), shown.output
        assert any("window_minutes" in line and "60" in line for line in lines)

    def test_exits_1_naming_the_failed_detector(self, ring_lake: Path, database: Database) -> None:
        break_reviews(ring_lake)
        result = runner.invoke(app, ["detect", "run"])
        assert result.exit_code == 1, result.output
        assert "failed / 失败 in review_ring" in result.output
        assert "No magic bytes" in result.output
        listed = runner.invoke(app, ["detect", "runs"])
        assert "failed (review_ring)" in listed.output
        assert "新预警 5" in result.output  # the detectors before it raised theirs
        with database.unit_of_work() as session:
            assert session.scalar(select(func.count()).select_from(Alert)) == 5

    def test_exits_2_naming_detector_option_when_unknown(self, data_dir: Path) -> None:
        result = runner.invoke(app, ["detect", "run", "--detector", "telepathy"])
        assert result.exit_code == 2
        assert "--detector" in result.output
        assert "unknown telepathy" in result.output
        assert "known: brushing" in result.output
        assert "price_fraud" in result.output

    def test_exits_2_when_run_unknown(self, data_dir: Path) -> None:
        result = runner.invoke(app, ["detect", "show", "7"])
        assert result.exit_code == 2
        assert "no detection run 7" in result.output

    def test_exits_2_when_engine_unknown(self, data_dir: Path) -> None:
        result = runner.invoke(app, ["detect", "run", "--engine", "pandas"])
        assert result.exit_code == 2
        assert "--engine" in result.output

    def test_exits_2_while_another_run_is_running(self, data_dir: Path, database: Database) -> None:
        now = datetime.now(UTC)
        with database.unit_of_work() as session:
            running = DetectionRun(engine="duckdb", trigger=RunTrigger.JOB, requested=[],
                                   requested_by="job:alert.detect", status=RunStatus.RUNNING,
                                   running_slot=True, started_at=now, heartbeat_at=now)  # fmt: skip
            session.add(running)
        result = runner.invoke(app, ["detect", "run"])
        assert result.exit_code == 2, result.output
        assert "detection run 1 is running since" in result.output
        with database.unit_of_work() as session:
            assert session.scalar(select(func.count()).select_from(DetectionRun)) == 1
