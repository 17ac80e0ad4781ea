"""`ecredit lake upload` against a real, freshly migrated SQLite file and a local lake."""

from __future__ import annotations

from pathlib import Path

from ecredit.authz.principals import SYSTEM
from ecredit.cli.main import app
from ecredit.config import Settings
from ecredit.kit.crypto import Vault
from ecredit.models.subject import SubjectKind
from tests.factories import subjects
from tests.lake import files
from tests.support.cli import runner, stored


def _platform(data_dir: Path) -> int:
    database = stored(data_dir)
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
