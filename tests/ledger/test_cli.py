"""`ecredit ledger checkpoint|verify|public-key` against a real, freshly migrated SQLite file."""

from __future__ import annotations

import base64
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecredit.cli.main import app
from ecredit.config import Settings
from ecredit.kit.crypto import Vault, load_signing_key
from ecredit.kit.db import Database
from ecredit.ledger.service import Signer
from tests.ledger.support import Ledgered

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ECREDIT_DATA_DIR", str(tmp_path))
    for name in ("DATABASE_URL", "LEDGER_SIGNING_KEY", "LEDGER_HASH"):
        monkeypatch.delenv(f"ECREDIT_{name}", raising=False)
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return tmp_path


@pytest.fixture
def seeded(data_dir: Path) -> Path:
    """Four records (one corrected: five entries) written through the services; the SQLite file."""
    settings = Settings(_env_file=None, data_dir=data_dir, database_url=None)
    database = Database.from_url(settings.resolved_database_url)
    ledgered = Ledgered(Vault.from_settings(settings), Signer(load_signing_key(settings)))
    with database.unit_of_work() as session:
        first = ledgered.submit(session, 2)[0]
        ledgered.batch(session, 2)
        ledgered.correct(session, first.id)
    database.dispose()
    return data_dir / "ecredit.sqlite3"


def tamper(path: Path, statement: str) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


class TestLedgerCommands:
    def test_signs_and_verifies_intact_when_nothing_was_changed(self, seeded: Path) -> None:
        signed = runner.invoke(app, ["ledger", "checkpoint"])
        assert signed.exit_code == 0, signed.output
        assert "tree size: 5" in signed.output
        key = runner.invoke(app, ["ledger", "public-key"])
        assert key.exit_code == 0, key.output
        key_id = key.output.split("key id: ")[1].split()[0]
        assert f"key id: {key_id}" in signed.output

        verified = runner.invoke(app, ["ledger", "verify"])

        assert verified.exit_code == 0, verified.output
        assert "entries: 5  checkpoints: 1" in verified.output
        assert "ledger intact" in verified.output

    def test_exits_1_and_names_first_finding_when_a_record_was_edited_in_sqlite(
        self, seeded: Path
    ) -> None:
        assert runner.invoke(app, ["ledger", "checkpoint"]).exit_code == 0
        tamper(
            seeded,
            "UPDATE credit_record SET summary = '无' "
            "WHERE id = (SELECT record_id FROM ledger_entry WHERE seq = 2)",
        )

        verified = runner.invoke(app, ["ledger", "verify"])

        assert verified.exit_code == 1, verified.output
        first = verified.output.split("first finding: ")[1].splitlines()[0]
        assert first.startswith("[entry 2] altered: entry 2: record")
        assert "(summary)" in first
        assert "[entry 5] checkpoint:" in verified.output  # listed among all findings
        assert "ledger intact" not in verified.output

    def test_exits_1_when_checked_with_another_public_key(self, seeded: Path) -> None:
        assert runner.invoke(app, ["ledger", "checkpoint"]).exit_code == 0
        other = base64.b64encode(bytes(32)).decode()

        verified = runner.invoke(app, ["ledger", "verify", "--public-key", other])

        assert verified.exit_code == 1
        assert "signature does not verify" in verified.output

    def test_prints_the_key_from_the_data_dir_when_asked_for_the_public_key(
        self, data_dir: Path
    ) -> None:
        result = runner.invoke(app, ["ledger", "public-key"])

        assert result.exit_code == 0, result.output
        settings = Settings(_env_file=None, data_dir=data_dir, database_url=None)
        expected = Signer(load_signing_key(settings))
        assert result.output.splitlines() == [
            base64.b64encode(expected.public_key).decode(), f"key id: {expected.key_id}",
        ]  # fmt: skip

    def test_fixes_the_configured_hash_when_checkpointing_an_empty_ledger(
        self, data_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("ECREDIT_LEDGER_HASH", "sm3")

        signed = runner.invoke(app, ["ledger", "checkpoint"])

        assert signed.exit_code == 0, signed.output
        assert "tree size: 0" in signed.output
        assert "root (sm3): " in signed.output
        assert runner.invoke(app, ["ledger", "verify"]).exit_code == 0


class TestVerifyWithoutKey:
    def test_refuses_instead_of_minting_a_key_when_none_is_configured(self, data_dir: Path) -> None:
        result = runner.invoke(app, ["ledger", "verify"])

        assert result.exit_code == 2
        assert "--public-key" in result.output
        assert not (data_dir / "ledger-ed25519.key").exists()
