"""The `ecredit` command under test: a fresh data directory with a migrated SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecredit.cli.main import app
from ecredit.kit.db import Database

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """ECREDIT_DATA_DIR with a migrated database; the lake is its `lake` folder."""
    monkeypatch.setenv("ECREDIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ECREDIT_DATABASE_URL", raising=False)
    monkeypatch.delenv("ECREDIT_LAKE_URL", raising=False)
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return tmp_path / "data"


def stored(data_dir: Path) -> Database:
    """The data directory's database, as the command opens it (dispose it when done)."""
    return Database.from_url(f"sqlite:///{data_dir / 'ecredit.sqlite3'}")
