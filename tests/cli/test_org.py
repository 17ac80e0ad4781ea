"""`ecredit org|user|apikey create` against a real, freshly migrated SQLite file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ecredit.cli.main import app
from ecredit.kit.crypto import hash_api_key
from ecredit.models.org import ApiKey, Organisation, User
from tests.support.cli import runner, stored


class TestOrgCommands:
    def test_organisation_user_and_key_are_created_when_arguments_are_valid(
        self, data_dir: Path
    ) -> None:
        created = runner.invoke(
            app, ["org", "create", "本溪市市场监督管理局", "--kind", "department",
                  "--department", "samr"],
        )  # fmt: skip
        assert created.exit_code == 0, created.output
        user = runner.invoke(
            app, ["user", "create", "li.reviewer", "--org", "本溪市市场监督管理局",
                  "--role", "verifier", "--password", "correct-horse-battery"],
        )  # fmt: skip
        assert user.exit_code == 0, user.output
        key = runner.invoke(
            app, ["apikey", "create", "intake", "--org", "本溪市市场监督管理局",
                  "--scope", "subject:read", "--scope", "subject:write"],
        )  # fmt: skip
        assert key.exit_code == 0, key.output
        plaintext = next(w for w in key.output.split() if w.startswith("ek_"))

        database = stored(data_dir)
        with database.unit_of_work() as session:
            org = session.scalars(select(Organisation)).one()
            assert org.department == "samr"
            account = session.scalars(select(User)).one()
            assert account.roles == ["verifier"]
            assert "correct-horse-battery" not in account.password_hash
            api_key = session.scalars(select(ApiKey)).one()
            assert api_key.key_hash == hash_api_key(plaintext)
            assert api_key.scopes == ["subject:read", "subject:write"]
        database.dispose()

    def test_user_is_refused_with_message_when_organisation_is_unknown(
        self, data_dir: Path
    ) -> None:
        result = runner.invoke(
            app, ["user", "create", "nobody", "--org", "不存在的机构", "--password", "x" * 12]
        )
        assert result.exit_code == 2
        assert "不存在的机构" in result.output
        database = stored(data_dir)
        with database.unit_of_work() as session:
            assert session.scalars(select(User)).all() == []
        database.dispose()

    def test_organisation_is_refused_when_uscc_check_character_is_wrong(
        self, data_dir: Path
    ) -> None:
        result = runner.invoke(
            app, ["org", "create", "某平台", "--kind", "platform", "--uscc", "91110000600037341X"]
        )
        assert result.exit_code == 2
        assert "check character should be 'L', got 'X'" in result.output
