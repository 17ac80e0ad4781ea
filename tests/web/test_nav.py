"""The top navigation: public links for everyone, staff pages grouped by the member's scopes."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from ecredit.authz.principals import Role, Scope
from ecredit.kit.db import Database
from ecredit.web import i18n, nav
from tests.web import factories

PUBLIC = ["/", "/verify-site", "/lists", "/ledger", "/trace", "/track", "/shipments"]
EVERY_GROUP = {
    "registry": ("登记与核验", ["/staff/subjects/new", "/staff/verifications"]),
    "credit": ("信用管理", ["/staff/lists", "/staff/cases"]),
    "supervision": (
        "监管监测",
        ["/staff/alerts", "/staff/detection-runs", "/staff/warnings", "/staff/shipments"],
    ),
    "complaints": (None, ["/staff/complaints"]),  # one link: shown plain, not as a menu
}


@dataclass
class Group:
    title: str | None = None  # the <summary> of a menu; None for a plain link
    title_current: bool = False
    hrefs: list[str] = field(default_factory=list)


@dataclass
class Nav:
    """The links of the page's <nav>, by the group they sit in ("" outside any group)."""

    public: list[str] = field(default_factory=list)
    staff_list: bool = False
    groups: dict[str, Group] = field(default_factory=dict)
    current: list[str] = field(default_factory=list)  # hrefs marked aria-current="page"


class NavParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.nav = Nav()
        self._in_nav = self._in_summary = False
        self._lists: list[str] = []  # class of each open <ul>
        self._items: list[str | None] = []  # data-nav-group of each open <li>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "nav" and found.get("data-testid") == "nav":
            self._in_nav = True
        if not self._in_nav:
            return
        if tag == "ul":
            self._lists.append(found.get("class") or "")
            self.nav.staff_list |= "nav-staff" in self._lists[-1]
        elif tag == "li":
            key = found.get("data-nav-group")
            self._items.append(key)
            if key is not None:
                self.nav.groups[key] = Group()
        elif tag == "summary":
            self._in_summary = True
            self._group().title_current = found.get("aria-current") == "true"
        elif tag == "a":
            self._link(found)

    def _group(self) -> Group:
        key = next(key for key in reversed(self._items) if key is not None)
        return self.nav.groups[key]

    def _link(self, found: dict[str, str | None]) -> None:
        href = found["href"] or ""
        if found.get("aria-current") == "page":
            self.nav.current.append(href)
        if any(key is not None for key in self._items):
            self._group().hrefs.append(href)
        elif "nav-staff" not in self._lists[-1]:
            self.nav.public.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_nav = False
        elif self._in_nav and tag == "ul":
            self._lists.pop()
        elif self._in_nav and tag == "li":
            self._items.pop()
        elif tag == "summary":
            self._in_summary = False

    def handle_data(self, data: str) -> None:
        if self._in_summary:
            self._group().title = (self._group().title or "") + data.strip()


def nav_of(html: str) -> Nav:
    parser = NavParser()
    parser.feed(html)
    return parser.nav


def _member(client: TestClient, db: Database, *roles: Role) -> None:
    with db.unit_of_work() as session:
        factories.staff_user(session, "member", *roles)
    factories.login(client, "member")


def _menu_of(*scopes: Scope) -> dict[str, list[str]]:
    menu = nav.menu("/staff", {"scopes": [scope.value for scope in scopes]})
    return {group.key: [link.href for link in group.links] for group in menu.groups}


class TestStaffNavigation:
    def test_every_group_shows_its_links_when_member_holds_every_scope(
        self, app: FastAPI, client: TestClient, db: Database
    ) -> None:
        _member(client, db, Role.ADMIN)
        seen = nav_of(client.get("/staff").text)
        assert seen.public == PUBLIC
        assert {key: (g.title, g.hrefs) for key, g in seen.groups.items()} == EVERY_GROUP
        assert list(seen.groups) == list(EVERY_GROUP)  # groups keep their order
        assert seen.current == ["/staff"]

    def test_only_that_link_shows_when_member_holds_one_scope(
        self, app: FastAPI, client: TestClient, db: Database
    ) -> None:
        _member(client, db, Role.AUDITOR)  # of the nav's scopes, only record:read
        seen = nav_of(client.get("/staff").text)
        assert {key: (g.title, g.hrefs) for key, g in seen.groups.items()} == {
            "supervision": (None, ["/staff/shipments"])
        }
        assert client.get("/staff/shipments").status_code == 200

    def test_group_holds_only_allowed_links_when_member_holds_some_of_its_scopes(
        self, app: FastAPI, client: TestClient, db: Database
    ) -> None:
        _member(client, db, Role.VIEWER)  # of the nav's scopes, alert:read and record:read
        seen = nav_of(client.get("/staff").text)
        assert {key: (g.title, g.hrefs) for key, g in seen.groups.items()} == {
            "supervision": ("监管监测", ["/staff/alerts", "/staff/shipments"])
        }

    def test_groups_without_an_allowed_link_are_absent(
        self, app: FastAPI, client: TestClient, db: Database
    ) -> None:
        _member(client, db, Role.REGISTRAR)  # of the nav's scopes, subject:write and record:read
        html = client.get("/staff").text
        assert list(nav_of(html).groups) == ["registry", "supervision"]
        for absent in ("信用管理", "监管监测", "投诉举报", "/staff/verifications", "/staff/lists"):
            assert absent not in html

    def test_every_link_shown_opens_when_member_follows_it(
        self, app: FastAPI, client: TestClient, db: Database
    ) -> None:
        _member(client, db, Role.VERIFIER)
        seen = nav_of(client.get("/staff").text)
        hrefs = [href for group in seen.groups.values() for href in group.hrefs]
        assert "/staff/subjects/new" not in hrefs  # a verifier registers nobody
        for href in hrefs:
            assert client.get(href).status_code == 200, href

    def test_current_page_and_its_group_are_marked_when_page_open(
        self, app: FastAPI, client: TestClient, db: Database
    ) -> None:
        _member(client, db, Role.ADMIN)
        seen = nav_of(client.get("/staff/detection-runs").text)
        assert seen.current == ["/staff/detection-runs"]
        assert [key for key, g in seen.groups.items() if g.title_current] == ["supervision"]

    def test_group_titles_are_english_when_english_chosen(
        self, app: FastAPI, client: TestClient, db: Database
    ) -> None:
        _member(client, db, Role.ADMIN)
        seen = nav_of(client.get("/staff?lang=en").text)
        titles = [g.title for g in seen.groups.values()]
        assert titles == ["Registry", "Credit", "Supervision", None]


class TestPublicNavigation:
    def test_visitor_sees_public_links_and_no_staff_group(self, client: TestClient) -> None:
        html = client.get("/lists").text
        seen = nav_of(html)
        assert seen.public == PUBLIC
        assert seen.current == ["/lists"]
        assert not seen.staff_list
        assert seen.groups == {}
        assert 'href="/staff/login"' in html
        assert "<details" not in html.split('data-testid="nav"')[1].split("</nav>")[0]


class TestLanguageSwitch:
    @pytest.mark.parametrize(("lang", "label"), [("zh", "语言"), ("en", "Language")])
    def test_names_itself_in_page_language_when_language_chosen(
        self, client: TestClient, lang: str, label: str
    ) -> None:
        html = client.get("/", params={"lang": lang}).text
        assert f'<div class="lang-switch" role="group" aria-label="{label}">' in html


class TestMenu:
    def test_group_keeps_both_links_and_others_vanish_when_only_its_scopes_held(self) -> None:
        assert _menu_of(Scope.SUBJECT_WRITE, Scope.SUBJECT_VERIFY) == {
            "registry": ["/staff/subjects/new", "/staff/verifications"]
        }

    def test_scopes_without_a_page_add_nothing_when_held(self) -> None:
        assert _menu_of(Scope.SUBJECT_READ, Scope.AUDIT_READ, Scope.LAKE_UPLOAD) == {}

    @pytest.mark.parametrize(
        ("path", "current"),
        [
            ("/", "/"),
            ("/search", None),
            ("/staff", "/staff"),
            ("/staff/subjects/7", None),  # below the dashboard, yet not the dashboard
            ("/staff/alerts/12", "/staff/alerts"),
            ("/staff/complaints/TS2026", "/staff/complaints"),
            ("/staff/alerts-archive", None),
        ],
    )
    def test_marks_the_link_of_the_page_when_path_given(
        self, path: str, current: str | None
    ) -> None:
        menu = nav.menu(path, {"scopes": [scope.value for scope in Scope]})
        links = [*menu.public, *([menu.dashboard] if menu.dashboard else [])]
        links += [link for group in menu.groups for link in group.links]
        assert [link.href for link in links if link.current] == ([current] if current else [])

    def test_every_label_has_both_languages_when_menu_names_it(self) -> None:
        labels = {link.label for link in (*nav.PUBLIC_LINKS, nav.DASHBOARD)}
        for group in nav.STAFF_GROUPS:
            labels |= {group.label, *(link.label for link in group.links)}
        assert {
            label: all(i18n.MESSAGES.get(label, ("", ""))) for label in labels
        } == dict.fromkeys(labels, True)
