"""Run the packaged Alembic migrations from code: upgrade, downgrade, and check for drift.

The configuration is built here, pointing at `ecredit:migrations`, so this works from any
working directory and from an installed wheel. A URL or an open connection may be given; with a
connection, the caller owns the transaction (nothing is committed here).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, make_url, pool
from sqlalchemy.engine import Connection

SCRIPT_LOCATION = "ecredit:migrations"


def ensure_sqlite_directory(url: str) -> None:
    """Create the folder of a SQLite file (the data_dir on first start)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def make_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url_or_connection: str | Connection, revision: str = "head") -> None:
    """Migrate the database up to `revision`."""
    with _connection(url_or_connection) as connection:
        command.upgrade(make_config(connection), revision)


def downgrade(connection_or_url: str | Connection, revision: str) -> None:
    """Migrate the database down to `revision` ("base" removes every table)."""
    with _connection(connection_or_url) as connection:
        command.downgrade(make_config(connection), revision)


def check(url_or_connection: str | Connection) -> list[Any]:
    """What `alembic check` would find: the differences between the models and the database.

    Empty means the migrated schema matches the models. The comparison runs inside env.py's own
    context (same target metadata, type comparison and hooks as autogenerate), which also keeps
    this kit module from importing the models.
    """
    diffs: list[Any] = []

    def compare(_heads: Any, context: MigrationContext) -> list[Any]:
        diffs.extend(compare_metadata(context, context.opts["target_metadata"]))
        return []  # run no migration

    with _connection(url_or_connection) as connection:
        config = make_config(connection)
        script = ScriptDirectory.from_config(config)
        with EnvironmentContext(config, script, fn=compare):
            script.run_env()
    return diffs


def current(url_or_connection: str | Connection) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with _connection(url_or_connection) as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _connection(url_or_connection: str | Connection) -> Iterator[Connection]:
    if isinstance(url_or_connection, Connection):
        yield url_or_connection
        return
    ensure_sqlite_directory(url_or_connection)
    # Not kit.db.make_engine: SQLite foreign keys stay off while batch operations move tables.
    engine = create_engine(url_or_connection, poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()
