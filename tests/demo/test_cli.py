"""`ecredit demo seed` on a fresh data directory: the city, its credentials once, the lake."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecredit.cli.main import app
from ecredit.detection.engine import DATASETS


class TestCli:
    def test_seeds_prints_credentials_once_and_refuses_a_second_run(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("ECREDIT_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.delenv("ECREDIT_DATABASE_URL", raising=False)
        runner = CliRunner()
        first = runner.invoke(app, ["demo", "seed", "--merchants", "30"])
        assert first.exit_code == 0, first.output
        assert "samr.verifier" in first.output
        assert "ek_" in first.output
        lake = tmp_path / "data" / "lake"  # the platforms' month, for the detectors
        assert {path.name for path in lake.iterdir()} == set(DATASETS)
        second = runner.invoke(app, ["demo", "seed", "--merchants", "30"])
        assert second.exit_code == 1
        assert "already holds the demo city" in second.output
