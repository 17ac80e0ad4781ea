"""Test databases: a migrated SQLite file always, PostgreSQL when ECREDIT_TEST_DATABASE_URL is set.

Every test runs inside one outer transaction that is rolled back at the end; sessions join it
with SAVEPOINTs, so code under test may commit (a unit of work) and still leave nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, pool, text
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


def reset_postgres(url: str) -> None:
    """Start from nothing: drop everything in the public schema."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def prepare(backend: str, sqlite_path: Path) -> str:
    """A freshly migrated database of the given backend; returns its URL."""
    if backend == "sqlite":
        url = sqlite_url(sqlite_path)
    else:
        url = postgres_url()
        reset_postgres(url)
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
