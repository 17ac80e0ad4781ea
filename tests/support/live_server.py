"""The app served for real on 127.0.0.1 (uvicorn in a thread), for tests that drive Chromium."""

from __future__ import annotations

import base64
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, Playwright

from ecredit.app import create_app
from ecredit.config import Settings
from ecredit.kit import migrate
from ecredit.kit.db import Database
from tests.support.browser import CHROMIUM

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
STARTUP_SECONDS = 20.0


def portal_settings(tmp_path: Path) -> Settings:
    """Settings of a portal of its own: an SQLite file and fresh keys under `tmp_path`."""

    def key() -> str:
        return base64.b64encode(os.urandom(32)).decode()

    return Settings(
        _env_file=None, data_dir=tmp_path / "data",
        database_url=f"sqlite:///{(tmp_path / 'portal.sqlite3').as_posix()}",
        data_key=key(), blind_index_key=key(), session_secret=key(), log_json=False,
    )  # fmt: skip


@dataclass(frozen=True)
class Portal:
    settings: Settings
    db: Database
    app: FastAPI


@contextmanager
def migrated_portal(tmp_path: Path) -> Iterator[Portal]:
    """The app on a freshly migrated database of its own (not yet served)."""
    settings = portal_settings(tmp_path)
    migrate.upgrade(settings.resolved_database_url)
    database = Database.from_url(settings.resolved_database_url)
    try:
        yield Portal(settings, database, create_app(settings, db=database, run_jobs=False))
    finally:
        database.dispose()


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app on a free local port until the block ends; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped during start-up"
        assert time.monotonic() < deadline, "uvicorn did not start in time"
        time.sleep(0.02)  # polling the flag, bounded by the deadline above
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
