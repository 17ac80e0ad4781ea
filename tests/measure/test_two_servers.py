"""Two real `ecredit serve` processes on one SQLite file: a change committed by a third
connection reaches both servers' check answers within one second of the commit.

Synchronisation is by bounded polling from the commit's time, never by a fixed sleep.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from bench.common import free_port, server_environment
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ecredit.authz.principals import Scope
from ecredit.config import Settings
from ecredit.kit import migrate
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.org import OrgKind
from ecredit.models.scoring import Grade
from ecredit.org.schemas import ApiKeyCreate
from ecredit.org.service import organisation_service
from tests.factories import subjects
from tests.measure import helpers

BUDGET = 1.0  # seconds from the commit to the answer, in every process
SLACK = 0.25  # the poll loop's own delay on a loaded machine
CHECKS = "/api/v1/checks"


@contextmanager
def _server(env: dict[str, str]) -> Iterator[httpx.Client]:
    port = free_port()
    command = [sys.executable, "-m", "ecredit", "serve", "--no-migrate", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5)
    try:
        deadline = time.monotonic() + 60
        while not _ready(client):
            assert process.poll() is None, "the server exited during start-up"
            assert time.monotonic() < deadline, "the server did not start in 60 s"
            time.sleep(0.1)  # waiting for start-up, bounded by the deadline
        yield client
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=30)


def _ready(client: httpx.Client) -> bool:
    try:
        return client.get("/readyz").status_code == 200
    except httpx.HTTPError:
        return False


def _until_both(
    servers: list[httpx.Client], call: Callable[[httpx.Client], bool], committed: float
) -> list[float]:
    """Poll every server until `call` holds for each; the delay after commit of each."""
    seen: dict[int, float] = {}
    while len(seen) < len(servers) and time.monotonic() < committed + BUDGET + SLACK:
        for index, server in enumerate(servers):
            if index not in seen and call(server):
                seen[index] = time.monotonic() - committed
    assert len(seen) == len(servers), f"not every server saw the change in time: {seen}"
    return [seen[index] for index in range(len(servers))]


def _commit(db: Database, change: Callable[[Session], object]) -> float:
    """Commit `change`; the monotonic time right after the commit.

    The servers write their check logs every 0.2 s: on SQLite a read-then-write transaction
    can meet SQLITE_BUSY (snapshot out of date), which is retried as a new transaction."""
    for _attempt in range(50):
        try:
            with db.unit_of_work() as session:
                change(session)
            return time.monotonic()
        except OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
    raise AssertionError("the change could not be committed")


class TestTwoServerProcesses:
    @pytest.fixture
    def world(self, tmp_path: Path) -> Iterator[dict[str, Any]]:
        url = f"sqlite:///{(tmp_path / 'two.sqlite3').as_posix()}"
        env = server_environment(url, tmp_path / "data")
        migrate.upgrade(url)
        settings = Settings(
            _env_file=None, database_url=url, data_dir=tmp_path / "data",
            data_key=env["ECREDIT_DATA_KEY"], blind_index_key=env["ECREDIT_BLIND_INDEX_KEY"],
            session_secret=env["ECREDIT_SESSION_SECRET"],
        )  # fmt: skip
        db = Database.from_url(url)
        with db.unit_of_work() as session:
            subject = subjects.enterprise(session, Vault.from_settings(settings))
            entry = helpers.list_entry(session, subject.id, status=ListStatus.PUBLICISED)
            org = helpers.organisation(session, OrgKind.DEPARTMENT, "samr")
            key, plaintext = organisation_service.create_api_key(
                session, ApiKeyCreate(organisation_id=org.id, name="k", scopes=[Scope.CHECK_READ])
            )
        with ExitStack() as stack:
            servers = [stack.enter_context(_server(env)) for _ in range(2)]
            yield {
                "db": db, "servers": servers, "code": subject.uscc, "subject_id": subject.id,
                "entry_id": entry.id, "key_id": key.id, "headers": {"X-API-Key": plaintext},
            }  # fmt: skip
        db.dispose()

    def test_changes_reach_every_process_within_a_second(self, world: dict[str, Any]) -> None:
        db, servers, headers = world["db"], world["servers"], world["headers"]

        def answer(server: httpx.Client) -> httpx.Response:
            return server.get(CHECKS, params={"code": world["code"]}, headers=headers)

        for server in servers:  # warm both caches with the old answer
            assert answer(server).json()["memberships"] == []
            assert answer(server).json()["grade"] is None

        def publish(session: Session) -> None:
            entry = session.get(ListEntry, world["entry_id"])
            assert entry is not None
            entry.status, entry.effective_from = ListStatus.EFFECTIVE, helpers.today()

        committed = _commit(db, publish)
        delays = _until_both(servers, lambda s: answer(s).json()["memberships"] != [], committed)

        committed = _commit(db, lambda s: helpers.grade(s, world["subject_id"], Grade.D, 300))
        delays += _until_both(servers, lambda s: answer(s).json()["grade"] is not None, committed)

        committed = _commit(db, lambda s: organisation_service.revoke_api_key(s, world["key_id"]))
        delays += _until_both(servers, lambda s: answer(s).status_code == 401, committed)
        assert max(delays) <= BUDGET, f"delays after commit: {delays}"
