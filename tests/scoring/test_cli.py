"""`ecredit evaluate` against a real, freshly migrated SQLite file."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from ecredit.authz.principals import SYSTEM
from ecredit.catalog.loader import load_catalog
from ecredit.config import Settings
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.scoring import Evaluation, PlatformEvaluation, SubjectGrade
from ecredit.record.service import RecordService
from tests.factories import records as rec
from tests.factories import subjects as make

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    keys = {name: base64.b64encode(os.urandom(32)).decode() for name in ("DATA", "BLIND")}
    monkeypatch.setenv("ECREDIT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ECREDIT_DATA_KEY", keys["DATA"])
    monkeypatch.setenv("ECREDIT_BLIND_INDEX_KEY", keys["BLIND"])
    monkeypatch.delenv("ECREDIT_DATABASE_URL", raising=False)
    from ecredit.cli.main import app

    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return tmp_path


def populate(data_dir: Path) -> Database:
    database = Database.from_url(f"sqlite:///{data_dir / 'ecredit.sqlite3'}")
    vault = Vault.from_settings(Settings())
    records = RecordService(load_catalog())
    with database.unit_of_work() as session:
        merchants = [make.enterprise(session, vault) for _ in range(3)]
        make.platform(session, vault)
        records.submit(session, rec.dishonest(merchants[0].id, rec.beijing_today()), SYSTEM)
    return database


class TestEvaluateCommand:
    def test_every_subject_and_platform_evaluated_when_all_given(self, data_dir: Path) -> None:
        from ecredit.cli.main import app

        database = populate(data_dir)
        result = runner.invoke(app, ["evaluate", "--all"])
        assert result.exit_code == 0, result.output
        assert "evaluated 4 subjects and 1 platforms" in result.output
        assert "C: 3" in result.output
        assert "D: 1" in result.output
        with database.unit_of_work() as session:
            assert session.scalar(select(func.count()).select_from(Evaluation)) == 4
            assert session.scalar(select(func.count()).select_from(SubjectGrade)) == 4
            assert session.scalar(select(func.count()).select_from(PlatformEvaluation)) == 1
        database.dispose()

    def test_one_subject_evaluated_when_subject_given(self, data_dir: Path) -> None:
        from ecredit.cli.main import app

        database = populate(data_dir)
        today = rec.beijing_today().isoformat()
        result = runner.invoke(app, ["evaluate", "--subject", "1", "--as-of", today])
        assert result.exit_code == 0, result.output
        assert "subject 1: D (420)" in result.output
        database.dispose()

    def test_refused_when_date_is_not_a_date(self, data_dir: Path) -> None:
        from ecredit.cli.main import app

        result = runner.invoke(app, ["evaluate", "--all", "--as-of", "2026-13-01"])
        assert result.exit_code == 2
        assert "2026-13-01" in result.output

    def test_refused_when_neither_all_nor_subject(self, data_dir: Path) -> None:
        from ecredit.cli.main import app

        result = runner.invoke(app, ["evaluate"])
        assert result.exit_code == 2
        assert "--all" in result.output
