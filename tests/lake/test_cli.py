"""`ecredit lake upload` against a real, freshly migrated SQLite file and a local lake."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecredit.authz.principals import SYSTEM
from ecredit.cli.main import app
from ecredit.config import Settings
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.subject import SubjectKind
from tests.detection.lake_fixture import ring_lake, write_orders
from tests.factories import subjects
from tests.lake import files

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ECREDIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ECREDIT_DATABASE_URL", raising=False)
    monkeypatch.delenv("ECREDIT_LAKE_URL", raising=False)
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return tmp_path / "data"


def _platform(data_dir: Path) -> int:
    database = Database.from_url(f"sqlite:///{data_dir / 'ecredit.sqlite3'}")
    with database.unit_of_work() as session:
        vault = Vault.from_settings(Settings(data_dir=data_dir))
        platform_id = subjects.register(session, vault, SubjectKind.PLATFORM, SYSTEM).id
    database.dispose()
    return platform_id


class TestLakeUpload:
    def test_writes_partitions_and_report_when_file_uploaded_twice(
        self, data_dir: Path, tmp_path: Path
    ) -> None:
        platform = _platform(data_dir)
        path = files.ndjson(tmp_path / "orders.ndjson", files.orders(3, {0: {"amount": "x"}}))
        args = ["lake", "upload", "orders", str(path), "--platform", str(platform),
                "--batch-key", "2026-03-01"]  # fmt: skip
        first = runner.invoke(app, args)
        assert first.exit_code == 0, first.output
        assert "accepted" in first.output
        report = tmp_path / "orders.errors.csv"
        assert "1,amount,decimal,x" in report.read_text(encoding="utf-8-sig")
        parts = sorted((data_dir / "lake" / "orders").rglob("*.parquet"))
        assert [p.parent.name for p in parts] == ["day=2026-03-01", "day=2026-03-02"]
        again = runner.invoke(app, args)
        assert again.exit_code == 0
        assert "already uploaded" in again.output
        assert sorted((data_dir / "lake" / "orders").rglob("*.parquet")) == parts

    def test_exits_2_naming_dataset_when_unknown(self, data_dir: Path, tmp_path: Path) -> None:
        path = files.ndjson(tmp_path / "o.ndjson", files.orders(1))
        result = runner.invoke(app, ["lake", "upload", "clicks", str(path), "--platform", "1"])
        assert result.exit_code == 2
        assert "dataset" in result.output


class TestLakeDetect:
    def test_raises_alerts_once_and_names_skipped_detectors(self, data_dir: Path) -> None:
        platform = _platform(data_dir)
        orders = [dataclasses.replace(order, platform=platform) for order in ring_lake()]
        write_orders(data_dir / "lake", orders)
        first = runner.invoke(app, ["lake", "detect"])
        assert first.exit_code == 0, first.output
        assert "brushing" in first.output
        assert "traffic: no Parquet file" in first.output
        assert "新预警 5" in first.output  # four brushing shops and one account ring
        again = runner.invoke(app, ["lake", "detect", "--only", "brushing"])
        assert again.exit_code == 0, again.output
        assert "新预警 0" in again.output
        assert "已有 4" in again.output

    def test_exits_2_naming_an_unknown_detector(self, data_dir: Path) -> None:
        result = runner.invoke(app, ["lake", "detect", "--only", "telepathy"])
        assert result.exit_code == 2
        assert "unknown telepathy" in result.output
