"""In Debian's Chromium: a regulator opens a brushing alert, sees its chart drawn by plotly.js from
our own origin (nothing is fetched from anywhere else), and confirms the alert from its page; a
review-ring alert's chart is drawn the same way. Neither page logs an error to the console (the
Content-Security-Policy refusing an inline style would)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, Route, sync_playwright

from ecredit.alert.service import alert_service
from ecredit.authz.principals import Role
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.alert import Alert, AlertStatus
from ecredit.web.ring_chart import MAX_REVIEWER_ROWS
from tests.alert.conftest import market
from tests.support.live_server import chromium, migrated_portal, serving
from tests.web import alert_findings, factories

ORDERS_DRAWN = 8  # the 6 orders of the brushing window and the 2 nearby (alert_findings)


@dataclass(frozen=True)
class Served:
    url: str
    db: Database
    alert_id: int  # the brushing alert
    ring_alert_id: int
    ring_reviews: int  # the ring's reviews of its alert's shop


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A portal with an open brushing alert and a review-ring one (the real detectors') and a
    reviewer."""
    brushing = alert_findings.brushing(tmp_path / "lake")
    ring = alert_findings.review_rings(tmp_path / "reviews")[0]
    with migrated_portal(tmp_path) as portal:
        with portal.db.unit_of_work() as session:
            factories.staff_user(session, "reviewer", Role.VERIFIER)
            shops = market(session, Vault.from_settings(portal.settings))
            moved = replace(brushing, platform_id=shops.platform_id, shop_code=shops.shop_code)
            ring = alert_findings.on(ring, shops.platform_id, ring.shop_code)
            alert_service.raise_findings(session, [moved, ring])
            ids = {a.detector: a.id for a in session.query(Alert)}
        with serving(portal.app) as url:
            reviews = len(ring.evidence["reviews"])
            yield Served(url, portal.db, ids["brushing"], ids["review_ring"], reviews)


@dataclass
class Traffic:
    """What a page asked for, what was refused for leaving our origin, what the console said."""

    requested: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextmanager
def offline_page(served: Served) -> Iterator[tuple[Page, Traffic]]:
    """A zh-CN page in Chromium that may fetch from the portal only, its console errors kept."""
    traffic = Traffic()

    def only_local(route: Route) -> None:
        url = route.request.url
        traffic.requested.append(url)
        if url.startswith(served.url + "/"):
            route.continue_()
        else:
            traffic.blocked.append(url)
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            traffic.errors.append(f"{message.text} ({message.location})")

    with sync_playwright() as playwright:
        browser = chromium(playwright)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            context.route("**/*", only_local)
            page = context.new_page()
            page.on("console", on_console)
            yield page, traffic
        finally:
            browser.close()


def _log_in(page: Page, served: Served, target: str) -> None:
    page.goto(f"{served.url}/staff/login?next={target}")
    page.fill('input[name="username"]', "reviewer")
    page.fill('input[name="password"]', factories.PASSWORD)
    page.press('input[name="password"]', "Enter")
    page.wait_for_url(f"**{target}")


@pytest.mark.browser
class TestAlertChartsInBrowser:
    def test_brushing_chart_drawn_offline_then_alert_confirmed(
        self, served: Served, tmp_path: Path
    ) -> None:
        with offline_page(served) as (page, traffic):
            target = f"/staff/alerts/{served.alert_id}"
            _log_in(page, served, target)

            chart = page.locator('#brushing-chart[data-drawn="true"]')
            chart.wait_for()
            assert chart.locator("svg.main-svg").count() >= 2
            assert chart.locator(".scatterlayer .point").count() == ORDERS_DRAWN
            assert chart.locator(".shapelayer path").count() == 1  # the window, shaded
            assert chart.bounding_box()["height"] > 200  # type: ignore[index]
            assert any("/static/vendor/plotly-" in url for url in traffic.requested)
            page.screenshot(path=str(tmp_path / "brushing-alert.png"), full_page=True)
            assert traffic.errors == []

            page.get_by_test_id("confirm-form").locator('input[name="note"]').fill("属实")
            page.get_by_test_id("confirm-form").get_by_role("button").click()
            page.wait_for_url(f"**{target}?moved=confirmed")
            assert "已确认" in page.get_by_test_id("status").inner_text()
            assert page.get_by_test_id("record").is_visible()
        assert traffic.blocked == []
        assert traffic.errors == []
        with served.db.unit_of_work() as session:
            assert session.get_one(Alert, served.alert_id).status is AlertStatus.CONFIRMED

    def test_review_ring_chart_drawn_offline(self, served: Served, tmp_path: Path) -> None:
        with offline_page(served) as (page, traffic):
            _log_in(page, served, f"/staff/alerts/{served.ring_alert_id}")

            chart = page.locator('#ring-chart[data-drawn="true"]')
            chart.wait_for()
            assert chart.locator(".scatterlayer .point").count() == served.ring_reviews
            assert chart.locator(".legend .traces").count() >= 1  # the star ratings
            assert chart.locator(".ytick").count() == MAX_REVIEWER_ROWS + 1  # and "other"
            assert chart.locator(".xtitle").text_content() == "评价时间（北京时间）"
            assert chart.bounding_box()["height"] > 400  # type: ignore[index]
            page.screenshot(path=str(tmp_path / "ring-alert.png"), full_page=True)
        assert any("-maps.css" in url for url in traffic.requested)
        assert traffic.blocked == []
        assert traffic.errors == []
