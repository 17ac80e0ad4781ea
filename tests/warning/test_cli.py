"""`ecredit warnings` against a real, freshly migrated SQLite file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ecredit.cli.main import app
from ecredit.kit.clock import local_date
from ecredit.kit.db import Database
from ecredit.models.base import utcnow
from ecredit.models.subject import Subject, SubjectKind
from tests.factories import warnings as make
from tests.support.cli import data_dir  # noqa: F401  (the migrated SQLite file)

runner = CliRunner()


class TestWarningsCommand:
    def test_recomputes_every_candidate_when_run_and_one_when_asked(
        self,
        data_dir: Path,  # noqa: F811
    ) -> None:
        database = Database.from_url(f"sqlite:///{data_dir / 'ecredit.sqlite3'}")
        with database.unit_of_work() as session:
            merchant = Subject(kind=SubjectKind.MERCHANT, name="黑名单商贸有限公司")
            session.add(merchant)
            session.flush()
            make.list_entry(session, merchant.id, "ecommerce_serious_dishonesty",
                            local_date(utcnow()))  # fmt: skip
            subject_id = merchant.id
        everyone = runner.invoke(app, ["warnings"])
        assert everyone.exit_code == 0, everyone.output
        assert "recomputed 1 subjects, 1 changed level" in everyone.output
        assert "warning: 1" in everyone.output
        one = runner.invoke(app, ["warnings", "--subject", str(subject_id)])
        assert (one.exit_code, one.output.strip()) == (0, f"subject {subject_id}: warning (50)")
        unknown = runner.invoke(app, ["warnings", "--subject", "999999"])
        assert unknown.exit_code == 2
        assert "no subject 999999" in unknown.output
