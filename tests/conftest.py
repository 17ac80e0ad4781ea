"""Shared fixtures: a real migrated database per backend, rolled back after every test.

- `database_url` (session): parametrized `[sqlite]` always, `[postgresql]` when
  ECREDIT_TEST_DATABASE_URL is set; migrated with the real Alembic revisions.
- `engine` (session), `db` (a kit.db.Database whose commits stay inside the test's transaction)
  and `session` (one session from it). A test using `db` or `session` runs once per backend.
- `settings`: Settings with a temporary data_dir and explicit keys (no key file written).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ecredit.audit import changes
from ecredit.config import Settings
from ecredit.kit import migrate
from ecredit.kit.db import Database
from ecredit.worker import load_job_handlers
from tests.support import db as test_db
from tests.support.browser import (  # noqa: F401  (hooks, registered by being here)
    pytest_collection_modifyitems,
    pytest_runtest_setup,
)

pytest_plugins = ("pytester",)


@pytest.fixture(scope="session", params=test_db.backends())
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    sqlite_path = tmp_path_factory.mktemp("db") / "ecredit-test.sqlite3"
    url = test_db.prepare(request.param, sqlite_path)
    yield url
    if request.param == "postgresql":
        test_db.drop_postgres_schema(url)


@pytest.fixture(scope="session", autouse=True)
def _change_records() -> None:
    changes.install()


@pytest.fixture(scope="session", autouse=True)
def _job_handlers() -> None:
    """Every domain's job handlers, as the worker and the server register them."""
    load_job_handlers()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = test_db.make_test_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Database]:
    with test_db.rolled_back_database(engine) as database:
        yield database


@pytest.fixture
def scratch_pg() -> Iterator[Database]:
    """A Database on a freshly migrated PostgreSQL schema of the test's own, dropped afterwards:
    for tests that need committed data and two real connections at once (skipped without
    PostgreSQL)."""
    if not os.environ.get(test_db.POSTGRES_ENV):
        pytest.skip("two connections at once need PostgreSQL")
    with test_db.scratch_postgres_schema(os.environ[test_db.POSTGRES_ENV], "ecredit_s") as url:
        migrate.upgrade(url)
        database = Database.from_url(url)
        try:
            yield database
        finally:
            database.dispose()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    session = db.session_factory()
    try:
        yield session
    finally:
        session.close()


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Explicit values win over any ECREDIT_* variable or .env file on the developer's machine.
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        database_url=None,
        data_key=_key(),
        blind_index_key=_key(),
        session_secret=_key(),
        log_json=False,
    )
