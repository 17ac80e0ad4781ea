"""Test databases: a migrated SQLite file always, PostgreSQL when ECREDIT_TEST_DATABASE_URL is set.

Every test runs inside one outer transaction that is rolled back at the end; sessions join it
with SAVEPOINTs, so code under test may commit (a unit of work) and still leave nothing behind.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, pool, text
from sqlalchemy.orm import Session, sessionmaker

from ecredit.kit import migrate
from ecredit.kit.db import Database, make_engine

POSTGRES_ENV = "ECREDIT_TEST_DATABASE_URL"


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


def postgres_url() -> str:
    return os.environ[POSTGRES_ENV]


def fresh_postgres_schema(base_url: str) -> str:
    """A URL whose connections use a schema of their own, made empty for this test run.

    Each run (and each helper process) works in `ecredit_t<pid>`, so runs on one machine
    never clobber each other's tables; schemas of runs that are gone are dropped first.
    """
    schema = f"ecredit_t{os.getpid()}"
    engine = create_engine(base_url, poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            for (stale,) in connection.execute(
                text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'ecredit_t%'")
            ):
                if stale == schema or not _alive(int(stale.removeprefix("ecredit_t"))):
                    connection.execute(text(f'DROP SCHEMA "{stale}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()
    return (
        make_url(base_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


@contextmanager
def scratch_postgres_schema(base_url: str, prefix: str) -> Iterator[str]:
    """A URL whose connections use a new, empty schema `<prefix><random>`, dropped afterwards:
    for tests that need committed data or an empty database beside the session's schema."""
    schema = f"{prefix}{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, poolclass=pool.NullPool)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def drop_postgres_schema(url: str) -> None:
    options = make_url(url).query.get("options", "")
    schema = str(options).removeprefix("-csearch_path=")
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def prepare(backend: str, sqlite_path: Path) -> str:
    """A freshly migrated database of the given backend; returns its URL."""
    url = sqlite_url(sqlite_path) if backend == "sqlite" else fresh_postgres_schema(postgres_url())
    migrate.upgrade(url)
    return url


def make_test_engine(url: str) -> Engine:
    """The production engine: it already handles SQLite SAVEPOINTs correctly (kit.db)."""
    return make_engine(url)


@contextmanager
def rolled_back_database(engine: Engine) -> Iterator[Database]:
    """A Database whose sessions all live inside one transaction that is rolled back."""
    connection = engine.connect()
    outer = connection.begin()
    factory: sessionmaker[Session] = sessionmaker(
        bind=connection,
        expire_on_commit=False,
        autoflush=True,
        join_transaction_mode="create_savepoint",
    )
    try:
        yield Database(engine, factory)
    finally:
        if outer.is_active:
            outer.rollback()
        connection.close()
