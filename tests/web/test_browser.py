"""End to end in Debian's Chromium: the query window finds a merchant by pinyin initials and
its public page shows the verification mark and only masked personal data."""

from __future__ import annotations

import base64
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import sync_playwright

from ecredit.app import create_app
from ecredit.authz.principals import Role
from ecredit.config import Settings
from ecredit.kit import migrate
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from tests.web import factories

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
MERCHANT = "本溪市明达电子商务有限公司"
REPRESENTATIVE = "王建国"
STARTUP_SECONDS = 20.0


@dataclass(frozen=True)
class LiveServer:
    url: str
    merchant_id: int


def _settings(tmp_path: Path) -> Settings:
    def key() -> str:
        return base64.b64encode(os.urandom(32)).decode()

    return Settings(
        _env_file=None, data_dir=tmp_path / "data",
        database_url=f"sqlite:///{(tmp_path / 'portal.sqlite3').as_posix()}",
        data_key=key(), blind_index_key=key(), session_secret=key(), log_json=False,
    )  # fmt: skip


def _seed(database: Database, vault: Vault) -> int:
    with database.unit_of_work() as session:
        verifier = factories.staff_user(session, "verifier", Role.VERIFIER)
        merchant = factories.enterprise(
            session, vault, MERCHANT, legal_representative=REPRESENTATIVE, region_code="210502"
        )
        factories.verified(session, merchant, verifier)
        factories.enterprise(session, vault, "本溪市明远物流有限公司")
        factories.natural_person(session, vault, "张丽华", phone="13912345678")
        return merchant.id


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    settings = _settings(tmp_path)
    migrate.upgrade(settings.resolved_database_url)
    database = Database.from_url(settings.resolved_database_url)
    app = create_app(settings, db=database, run_jobs=False)
    merchant_id = _seed(database, Vault.from_settings(settings))
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
        yield LiveServer(f"http://127.0.0.1:{port}", merchant_id)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        database.dispose()


@pytest.mark.browser
class TestQueryWindowInBrowser:
    def test_finds_merchant_and_shows_masked_page_when_initials_typed(
        self, live_server: LiveServer, tmp_path: Path
    ) -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                page.goto(live_server.url + "/")
                page.fill('input[name="q"]', "bxsmd")
                page.press('input[name="q"]', "Enter")
                page.wait_for_url("**/search?q=bxsmd")
                results = page.get_by_test_id("results")
                assert MERCHANT in results.inner_text()
                assert "本溪市明远物流有限公司" not in results.inner_text()
                page.get_by_role("link", name=MERCHANT).click()
                page.wait_for_url(f"**/subjects/{live_server.merchant_id}")
                assert page.get_by_test_id("subject-name").inner_text() == MERCHANT
                assert "已实名认证" in page.get_by_test_id("verification-mark").inner_text()
                assert page.get_by_test_id("legal-representative").inner_text() == "王**"
                assert REPRESENTATIVE not in page.content()
                shot = tmp_path / "public-subject.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 0
            finally:
                browser.close()
