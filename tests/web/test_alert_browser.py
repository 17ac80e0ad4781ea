"""In Debian's Chromium: a regulator opens a brushing alert, sees its chart drawn by plotly.js from
our own origin (nothing is fetched from anywhere else), and confirms the alert from its page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, sync_playwright

from ecredit.alert.service import alert_service
from ecredit.authz.principals import Role
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.alert import Alert, AlertStatus
from tests.alert.conftest import market
from tests.support.live_server import chromium, migrated_portal, serving
from tests.web import alert_findings, factories

ORDERS_DRAWN = 8  # the 6 orders of the brushing window and the 2 nearby (alert_findings)


@dataclass(frozen=True)
class Served:
    url: str
    db: Database
    alert_id: int


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A portal with one open brushing alert (the real detector's) and a reviewer."""
    brushing = alert_findings.brushing(tmp_path / "lake")
    with migrated_portal(tmp_path) as portal:
        with portal.db.unit_of_work() as session:
            factories.staff_user(session, "reviewer", Role.VERIFIER)
            shops = market(session, Vault.from_settings(portal.settings))
            moved = replace(brushing, platform_id=shops.platform_id, shop_code=shops.shop_code)
            alert_service.raise_findings(session, [moved])
            alert_id = session.query(Alert).one().id
        with serving(portal.app) as url:
            yield Served(url, portal.db, alert_id)


def _log_in(page: Page, served: Served, target: str) -> None:
    page.goto(f"{served.url}/staff/login?next={target}")
    page.fill('input[name="username"]', "reviewer")
    page.fill('input[name="password"]', factories.PASSWORD)
    page.press('input[name="password"]', "Enter")
    page.wait_for_url(f"**{target}")


@pytest.mark.browser
class TestBrushingAlertInBrowser:
    def test_chart_drawn_offline_then_alert_confirmed(self, served: Served, tmp_path: Path) -> None:
        requested: list[str] = []
        blocked: list[str] = []

        def only_local(route: Route) -> None:
            url = route.request.url
            requested.append(url)
            if url.startswith(served.url + "/"):
                route.continue_()
            else:
                blocked.append(url)
                route.abort()

        with sync_playwright() as playwright:
            browser = chromium(playwright)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 900},
                                              locale="zh-CN")  # fmt: skip
                context.route("**/*", only_local)
                page = context.new_page()
                target = f"/staff/alerts/{served.alert_id}"
                _log_in(page, served, target)

                chart = page.locator('#brushing-chart[data-drawn="true"]')
                chart.wait_for()
                assert chart.locator("svg.main-svg").count() >= 2
                assert chart.locator(".scatterlayer .point").count() == ORDERS_DRAWN
                assert chart.locator(".shapelayer path").count() == 1  # the window, shaded
                assert chart.bounding_box()["height"] > 200  # type: ignore[index]
                assert any("/static/vendor/plotly-" in url for url in requested)
                page.screenshot(path=str(tmp_path / "brushing-alert.png"), full_page=True)

                page.get_by_test_id("confirm-form").locator('input[name="note"]').fill("属实")
                page.get_by_test_id("confirm-form").get_by_role("button").click()
                page.wait_for_url(f"**{target}?moved=confirmed")
                assert "已确认" in page.get_by_test_id("status").inner_text()
                assert page.get_by_test_id("record").is_visible()
            finally:
                browser.close()
        assert blocked == []
        with served.db.unit_of_work() as session:
            assert session.get_one(Alert, served.alert_id).status is AlertStatus.CONFIRMED
