"""End to end in Debian's Chromium: the query window finds a merchant by pinyin initials and
its public page shows the verification mark and only masked personal data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from ecredit.authz.principals import Role
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from tests.support.live_server import chromium, migrated_portal, serving
from tests.web import factories

MERCHANT = "本溪市明达电子商务有限公司"
REPRESENTATIVE = "王建国"


@dataclass(frozen=True)
class LiveServer:
    url: str
    merchant_id: int


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
    with migrated_portal(tmp_path) as portal:
        merchant_id = _seed(portal.db, Vault.from_settings(portal.settings))
        with serving(portal.app) as url:
            yield LiveServer(url, merchant_id)


@pytest.mark.browser
class TestQueryWindowInBrowser:
    def test_finds_merchant_and_shows_masked_page_when_initials_typed(
        self, live_server: LiveServer, tmp_path: Path
    ) -> None:
        with sync_playwright() as playwright:
            browser = chromium(playwright)
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
