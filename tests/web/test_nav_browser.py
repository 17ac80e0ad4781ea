"""In Debian's Chromium: a member with every scope finds the whole navigation on one line at
1280 px, in Chinese and in English, opens a staff group with the keyboard alone and follows one
of its links."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, sync_playwright

from ecredit.authz.principals import Role
from tests.support.live_server import chromium, migrated_portal, serving
from tests.web import factories

TAB_LIMIT = 40  # more than the header's focusable items: the loop below always ends


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    with migrated_portal(tmp_path) as portal:
        with portal.db.unit_of_work() as session:
            factories.staff_user(session, "chief", Role.ADMIN)
        with serving(portal.app) as url:
            yield url


def _log_in(page: Page, url: str) -> None:
    page.goto(f"{url}/staff/login?next=/staff")
    page.fill('input[name="username"]', "chief")
    page.fill('input[name="password"]', factories.PASSWORD)
    page.press('input[name="password"]', "Enter")
    page.wait_for_url("**/staff")


def _tab_to(page: Page, text: str) -> None:
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == text:
            return
    raise AssertionError(f"{text!r} is not reachable with Tab")


def _watch_csp(page: Page) -> list[str]:
    """What the Content-Security-Policy blocks on this page from now on."""
    blocked: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    page.on("console", note)
    return blocked


def _assert_one_line(page: Page, first_link: str) -> None:
    line = page.get_by_test_id("nav").get_by_role("link", name=first_link).bounding_box()
    box = page.get_by_test_id("nav").bounding_box()
    assert line is not None
    assert box is not None
    assert box["height"] <= line["height"] + 2, (box, line)  # one line of links, nothing wrapped


def _open_group_and_follow_by_keyboard(page: Page) -> None:
    _tab_to(page, "监管监测")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    runs = page.get_by_test_id("nav").get_by_role("link", name="监测运行")
    assert not runs.is_visible()
    page.keyboard.press("Enter")
    assert runs.is_visible()
    _tab_to(page, "监测运行")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/detection-runs")


@pytest.mark.browser
class TestNavigationInBrowser:
    def test_fits_one_line_and_group_opens_and_follows_by_keyboard(
        self, served: str, tmp_path: Path
    ) -> None:
        with sync_playwright() as playwright:
            browser = chromium(playwright)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                blocked = _watch_csp(page)
                _log_in(page, served)
                _assert_one_line(page, "信用查询")
                _open_group_and_follow_by_keyboard(page)

                nav = page.get_by_test_id("nav")
                assert nav.locator('[aria-current="page"]').text_content() == "监测运行"
                group = nav.locator('[data-nav-group="supervision"] summary')
                assert group.get_attribute("aria-current") == "true"
                assert not nav.get_by_role("link", name="监测运行").is_visible()  # closed again

                nav.locator('[data-nav-group="registry"] summary').click()
                nav.locator('[data-nav-group="credit"] summary').click()
                assert nav.locator("details[open]").count() == 1  # one group open at a time
                page.screenshot(path=str(tmp_path / "nav-open.png"))
                assert blocked == []
            finally:
                browser.close()

    def test_fits_one_line_when_english_chosen(self, served: str) -> None:
        with sync_playwright() as playwright:
            browser = chromium(playwright)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
                _log_in(page, served)
                page.goto(f"{served}/staff?lang=en")
                assert page.get_attribute("html", "lang") == "en"
                _assert_one_line(page, "Credit query")
            finally:
                browser.close()
