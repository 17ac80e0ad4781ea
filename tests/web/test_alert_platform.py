"""A platform's users see the alerts about their own shops, read-only; another platform's alert is
404 to them; who holds alert:read and alert:review."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from ecredit.alert.service import alert_service
from ecredit.authz.principals import ROLE_SCOPES, Role, Scope
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.kit.errors import NotFound
from ecredit.models.alert import Alert, AlertStatus
from ecredit.models.org import OrgKind
from ecredit.org.schemas import OrganisationCreate, UserCreate
from ecredit.org.service import organisation_service
from tests.alert.conftest import Market, market
from tests.factories import alerts, subjects
from tests.factories.alerts import finding
from tests.web import factories

DETAIL_LINK = re.compile(r'href="/staff/alerts/(\d+)" data-testid="detail-link"')


def platform_user(session: Session, platform_id: int, username: str, *roles: Role) -> None:
    """A user of the platform's own organisation (made on first use)."""
    name = f"平台运营方{platform_id}"
    try:
        org = organisation_service.get_by_name(session, name)
    except NotFound:
        data = OrganisationCreate(name=name, kind=OrgKind.PLATFORM, subject_id=platform_id)
        org = organisation_service.create(session, data)
    organisation_service.create_user(
        session,
        UserCreate(organisation_id=org.id, username=username, display_name=username,
                   password=factories.PASSWORD, roles=list(roles)),
    )  # fmt: skip


def _two_platforms(db: Database, vault: Vault) -> tuple[Market, Market, list[int], list[int]]:
    """Platforms "ours" (user ours.viewer) and "theirs", two alerts each."""
    with db.unit_of_work() as session:
        ours, theirs = market(session, vault), market(session, vault)
        raised = {}
        for shops in (ours, theirs):
            findings = [finding(shops.platform_id, shops.shop_code) for _ in range(2)]
            alert_service.raise_findings(session, findings)
            raised[shops.platform_id] = [
                a.id for a in session.query(Alert).filter_by(platform_id=shops.platform_id)
            ]
        platform_user(session, ours.platform_id, "ours.viewer", Role.VIEWER)
    return ours, theirs, raised[ours.platform_id], raised[theirs.platform_id]


class TestPlatformView:
    def test_lists_only_its_own_alerts_without_decisions(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        _ours, _theirs, own, other = _two_platforms(db, vault)
        factories.login(client, "ours.viewer")
        html = client.get("/staff/alerts?status=").text
        assert sorted(int(i) for i in DETAIL_LINK.findall(html)) == sorted(own)
        assert "/confirm" not in html
        assert "/dismiss" not in html
        assert 'data-testid="read-only"' in html
        assert 'href="/staff/alerts">' in html  # the navigation offers the page
        assert not set(other) & {int(i) for i in DETAIL_LINK.findall(html)}

    def test_sees_its_alert_read_only_and_another_platforms_as_404(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        _ours, _theirs, own, other = _two_platforms(db, vault)
        factories.login(client, "ours.viewer")
        page = client.get(f"/staff/alerts/{own[0]}")
        assert page.status_code == 200
        assert 'data-testid="awaiting"' in page.text
        assert "/confirm" not in page.text
        assert client.get(f"/staff/alerts/{other[0]}").status_code == 404
        assert client.get(f"/staff/alerts/{other[0]}?page=2").status_code == 404

    @pytest.mark.parametrize("role", [Role.VIEWER, Role.VERIFIER])
    def test_cannot_decide_even_with_the_review_scope(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault, role: Role
    ) -> None:
        ours, _theirs, own, _other = _two_platforms(db, vault)
        with db.unit_of_work() as session:
            platform_user(session, ours.platform_id, "ours.staff", role)
        factories.login(client, "ours.staff")
        assert "/confirm" not in client.get(f"/staff/alerts/{own[0]}").text
        token = factories.csrf_token(client, f"/staff/alerts/{own[0]}")
        for action, form in (("confirm", {}), ("dismiss", {"reason": "不是刷单"})):
            sent = {**form, "view": "detail", "csrf_token": token}
            response = client.post(f"/staff/alerts/{own[0]}/{action}", data=sent)
            assert response.status_code == 403, action
        with db.unit_of_work() as session:
            assert session.get_one(Alert, own[0]).status is AlertStatus.OPEN


class TestAlertScopes:
    def test_viewers_read_alerts_and_only_verifiers_review_them(self) -> None:
        readers = {role for role, scopes in ROLE_SCOPES.items() if Scope.ALERT_READ in scopes}
        reviewers = {role for role, scopes in ROLE_SCOPES.items() if Scope.ALERT_REVIEW in scopes}
        assert readers == {Role.ADMIN, Role.VERIFIER, Role.VIEWER}
        assert reviewers == {Role.ADMIN, Role.VERIFIER}

    def test_refuses_list_and_page_without_alert_read(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        _ours, _theirs, own, _other = _two_platforms(db, vault)
        with db.unit_of_work() as session:
            factories.staff_user(session, "auditor", Role.AUDITOR)
        factories.login(client, "auditor")
        assert client.get("/staff/alerts").status_code == 403
        assert client.get(f"/staff/alerts/{own[0]}").status_code == 403

    def test_sends_anonymous_visitors_to_the_login(self, client: TestClient) -> None:
        response = client.get("/staff/alerts/1", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/staff/login?next=/staff/alerts/1"


class TestPersonalData:
    def test_a_natural_persons_name_is_masked_on_the_list_and_the_page(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            platform = subjects.platform(session, vault)
            person = factories.natural_person(session, vault, "张丽华")
            shop = alerts.shop(session, platform, person)
            alert_service.raise_findings(session, [finding(platform.id, shop.shop_code)])
            alert_id = session.query(Alert).one().id
            factories.staff_user(session, "reviewer", Role.VERIFIER)
        factories.login(client, "reviewer")
        for url in ("/staff/alerts", f"/staff/alerts/{alert_id}"):
            html = client.get(url).text
            assert "张丽华" not in html, url
            assert f'href="/staff/subjects/{person.id}">张**</a>' in html, url
