"""The packaged migrations build exactly the models' schema, on SQLite and PostgreSQL.

SQLite gets a fresh file per test. PostgreSQL gets a throw-away schema, selected through the
connection's search_path (set at connect, so SQLAlchemy's default schema is that one too), and
dropped afterwards: the shared `public` schema the `db` fixture uses is never touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, make_url, pool, text

from ecredit.kit import migrate
from ecredit.models import Base
from tests.support.db import scratch_postgres_schema, sqlite_url


@pytest.fixture
def empty_engine(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    if make_url(database_url).get_backend_name() == "sqlite":
        engine = create_engine(sqlite_url(tmp_path / "fresh.sqlite3"), poolclass=pool.NullPool)
        yield engine
        engine.dispose()
        return
    with scratch_postgres_schema(database_url, "migration_test_") as url:
        engine = create_engine(url, poolclass=pool.NullPool)
        try:
            yield engine
        finally:
            engine.dispose()


def _head() -> str | None:
    return ScriptDirectory.from_config(migrate.make_config()).get_current_head()


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


class TestMigrations:
    def test_round_trips_when_upgraded_downgraded_and_upgraded_again(
        self, empty_engine: Engine
    ) -> None:
        with empty_engine.begin() as connection:
            migrate.upgrade(connection)
        with empty_engine.connect() as connection:
            assert migrate.current(connection) == _head()
            assert migrate.check(connection) == []
        assert _tables(empty_engine) == set(Base.metadata.tables) | {"alembic_version"}

        with empty_engine.begin() as connection:
            migrate.downgrade(connection, "base")
        with empty_engine.connect() as connection:
            assert migrate.current(connection) is None
        assert _tables(empty_engine) == {"alembic_version"}

        with empty_engine.begin() as connection:
            migrate.upgrade(connection)
        with empty_engine.connect() as connection:
            assert migrate.check(connection) == []

    def test_check_reports_drift_when_database_differs_from_models(
        self, empty_engine: Engine
    ) -> None:
        with empty_engine.begin() as connection:
            migrate.upgrade(connection)
            connection.execute(text("ALTER TABLE job ADD COLUMN stray INTEGER"))
            connection.execute(text("DROP INDEX ix_job_due"))
        with empty_engine.connect() as connection:
            diffs = migrate.check(connection)
        kinds = {diff[0] for diff in diffs if isinstance(diff, tuple)}
        assert {"remove_column", "add_index"} <= kinds

    def test_migrates_by_url_when_data_dir_does_not_exist_yet(self, tmp_path: Path) -> None:
        url = sqlite_url(tmp_path / "new" / "data" / "ecredit.sqlite3")
        migrate.upgrade(url)
        assert migrate.current(url) == _head()
        assert migrate.check(url) == []


class TestRevisionFiles:
    def test_never_import_ecredit_when_rendered(self) -> None:
        versions = Path(migrate.__file__).parents[1] / "migrations" / "versions"
        revisions = [p for p in versions.glob("*.py") if p.name != "__init__.py"]
        assert revisions
        for path in revisions:
            assert "ecredit" not in path.read_text(), path.name
