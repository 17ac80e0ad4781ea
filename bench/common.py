"""Shared set-up for benchmarks: a dedicated PostgreSQL database, a city, a server process."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import make_url

from ecredit.kit import migrate

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_DB = "ecredit_bench"


def bench_database_url(name: str | None = None) -> str:
    """A fresh database next to the one ECREDIT_BENCH_ADMIN_URL names, one per benchmark
    (`ecredit_bench_<script>`), so two benchmarks never drop each other's data."""
    name = name or f"{BENCH_DB}_{_script_name()}"
    admin = make_url(os.environ.get("ECREDIT_BENCH_ADMIN_URL", DEFAULT_ADMIN_URL))
    plain = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    url = admin.set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    return url


def _script_name() -> str:
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    module = spec.name if spec else Path(sys.argv[0]).stem
    return module.rsplit(".", 1)[-1].replace("-", "_")


def psycopg_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def server_environment(url: str, data_dir: Path) -> dict[str, str]:
    keys = {
        name: base64.b64encode(os.urandom(32)).decode() for name in ("DATA", "BLIND", "SESSION")
    }
    return {
        **os.environ,
        "ECREDIT_DATABASE_URL": url,
        "ECREDIT_DATA_DIR": str(data_dir),
        "ECREDIT_DATA_KEY": keys["DATA"],
        "ECREDIT_BLIND_INDEX_KEY": keys["BLIND"],
        "ECREDIT_SESSION_SECRET": keys["SESSION"],
        "ECREDIT_RUN_JOBS_IN_SERVER": "false",
        "ECREDIT_LOG_LEVEL": "WARNING",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(env: dict[str, str]) -> Iterator[str]:
    """`ecredit serve` in its own process on 127.0.0.1; yields the base URL."""
    port = free_port()
    command = [sys.executable, "-m", "ecredit", "serve", "--no-migrate",
               "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)  # polling a starting server, bounded by the deadline
    raise RuntimeError("the server did not become ready in 60 s")


def copy_same_rows(url: str, table: str, json_columns: tuple[str, ...] = ()) -> tuple[int, float]:
    """COPY the rows an ingestion stored in `table` into a scratch table like it: the floor an
    ingestion path is compared with. JSON columns are wrapped for psycopg's row writer."""
    stored = stored_rows(url, table, json_columns)
    ddl = f"CREATE TABLE copy_target (LIKE {table} INCLUDING DEFAULTS)"
    return len(stored), timed_copy(url, ddl, "copy_target", stored)


def stored_rows(url: str, table: str, json_columns: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    """Every row of `table` in id order, as psycopg's row writer takes them."""
    with psycopg.connect(psycopg_url(url)) as connection:
        cursor = connection.execute(f"SELECT * FROM {table} ORDER BY id")
        names = [column.name for column in cursor.description or []]
        wrapped = {names.index(name) for name in json_columns}
        return [
            tuple(Jsonb(value) if i in wrapped else value for i, value in enumerate(row))
            for row in cursor.fetchall()
        ]


def timed_copy(url: str, ddl: str, target: str, rows: list[tuple[Any, ...]]) -> float:
    """Seconds to COPY `rows` (psycopg's row writer) into `target`, made by `ddl` beforehand,
    and commit."""
    with psycopg.connect(psycopg_url(url)) as connection:
        connection.execute(ddl)
        connection.commit()
        started = time.perf_counter()
        with connection.cursor().copy(f"COPY {target} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        connection.commit()
        return time.perf_counter() - started
