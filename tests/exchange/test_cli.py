"""`ecredit records import|export` against a real, freshly migrated SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from ecredit.authz.principals import SYSTEM
from ecredit.cli.main import app
from ecredit.config import Settings
from ecredit.exchange.columns import PENALTY_CURRENT as PENALTY_COLUMNS
from ecredit.kit.crypto import Vault
from ecredit.models.record import CreditRecord
from ecredit.subject.service import subject_service
from tests.exchange.files import penalty, write_csv
from tests.factories import subjects
from tests.support.cli import stored

runner = CliRunner()
ORG = "本溪市市场监督管理局"


def registered_code(data_dir: Path) -> str:
    """A subject registered with the deployment's own keys (as the CLI will read them)."""
    database = stored(data_dir)
    with database.unit_of_work() as session:
        vault = Vault.from_settings(Settings(data_dir=data_dir))
        subject = subject_service.register(session, vault, subjects.subject_create(), SYSTEM)
        code = subject.uscc or ""
    database.dispose()
    return code


def invoke(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def source(data_dir: Path, tmp_path: Path) -> Path:
    """A samr department, a registered subject, and a file with its row and a stranger's."""
    own = subjects.uscc_number()
    invoke("org", "create", ORG, "--kind", "department", "--department", "samr", "--uscc", own)
    code = registered_code(data_dir)
    rows = [penalty(code, "本市监罚〔2026〕1号", own), penalty(subjects.uscc_number(), "2号")]
    return write_csv(tmp_path / "处罚.csv", PENALTY_COLUMNS, rows)


def record_count(data_dir: Path) -> int:
    database = stored(data_dir)
    with database.unit_of_work() as session:
        count = session.scalar(select(func.count()).select_from(CreditRecord)) or 0
    database.dispose()
    return count


class TestRecordsCommands:
    def test_rows_are_recorded_and_reported_when_file_is_imported(
        self, data_dir: Path, source: Path
    ) -> None:
        output = invoke("records", "import", str(source), "--kind", "penalty", "--org", ORG)
        assert "samr_penalty" in output
        assert "unknown_subject" in output
        lines = source.with_name("处罚.report.csv").read_text(encoding="utf-8-sig").splitlines()
        assert lines[1].startswith("2,新增,created")
        assert lines[2].startswith("3,主体未登记")
        assert record_count(data_dir) == 1

    def test_exported_workbook_reimports_as_duplicates_when_written_by_export(
        self, data_dir: Path, source: Path, tmp_path: Path
    ) -> None:
        invoke("records", "import", str(source), "--kind", "penalty", "--org", ORG)
        out, report = tmp_path / "out.xlsx", tmp_path / "r.csv"
        invoke("records", "export", "--kind", "penalty", "--org", ORG, "--format", "xlsx",
               "-o", str(out))  # fmt: skip
        sheet = load_workbook(out, read_only=True).worksheets[0]
        assert len(list(sheet.iter_rows(values_only=True))) == 2
        invoke("records", "import", str(out), "--kind", "penalty", "--org", ORG,
               "--report", str(report))  # fmt: skip
        assert "duplicate" in report.read_text(encoding="utf-8-sig")
        assert record_count(data_dir) == 1

    def test_import_is_refused_with_message_when_organisation_is_unknown(
        self, data_dir: Path, tmp_path: Path
    ) -> None:
        path = write_csv(tmp_path / "p.csv", PENALTY_COLUMNS, [])
        output = invoke("records", "import", str(path), "--kind", "penalty",
                        "--org", "不存在的机构", code=2)  # fmt: skip
        assert "不存在的机构" in output
