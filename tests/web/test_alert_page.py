"""The staff alert page: open alerts with evidence, confirm into a record, dismiss with a reason,
a forbidden second decision shown on the page as a 409."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.testclient import TestClient

from ecredit.alert.service import alert_service
from ecredit.authz.principals import Role
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.alert import Alert, AlertStatus
from tests.alert.conftest import market
from tests.factories.alerts import finding
from tests.web import factories


def _alerts(db: Database, vault: Vault, count: int = 1) -> tuple[list[int], int]:
    """(open alert ids, a merchant id), and a reviewing user 'reviewer'."""
    with db.unit_of_work() as session:
        factories.staff_user(session, "reviewer", Role.VERIFIER)
        shops = market(session, vault)
        findings = [finding(shops.platform_id, shops.shop_code) for _ in range(count)]
        findings.append(finding(shops.platform_id, "GHOST"))
        alert_service.raise_findings(session, findings)
        ids = [a.id for a in session.query(Alert).order_by(Alert.id)]
    return ids, shops.merchant_id


def _post(client: TestClient, path: str, form: dict[str, str]) -> object:
    token = factories.csrf_token(client, "/staff/alerts")
    return client.post(path, data={**form, "csrf_token": token}, follow_redirects=False)


def _status(db: Database, alert_id: int) -> AlertStatus:
    with db.unit_of_work() as session:
        return session.get_one(Alert, alert_id).status


class TestAlertPage:
    def test_lists_open_alerts_with_evidence_and_unmatched_note(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        (matched, _ghost), _ = _alerts(db, vault)
        factories.login(client, "reviewer")
        html = client.get("/staff/alerts").text
        assert f'action="/staff/alerts/{matched}/confirm"' in html
        assert "orders: [o1, o2, o3]" in html
        assert "GHOST" in html
        assert 'data-testid="no-subject"' in html
        english = client.get("/staff/alerts?lang=en").text
        assert "Detection alerts" in english

    def test_confirms_then_refuses_second_decision_with_409(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        (matched, _ghost), _ = _alerts(db, vault)
        factories.login(client, "reviewer")
        done = _post(client, f"/staff/alerts/{matched}/confirm", {"note": "属实"})
        assert done.status_code == 303  # type: ignore[attr-defined]
        assert _status(db, matched) is AlertStatus.CONFIRMED
        again = _post(client, f"/staff/alerts/{matched}/dismiss", {"reason": "误报"})
        assert again.status_code == 409  # type: ignore[attr-defined]
        assert 'data-testid="alert-error"' in again.text  # type: ignore[attr-defined]

    def test_dismisses_with_reason_and_names_missing_one(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        (_matched, ghost), _ = _alerts(db, vault)
        factories.login(client, "reviewer")
        missing = _post(client, f"/staff/alerts/{ghost}/dismiss", {"reason": ""})
        assert missing.status_code == 422  # type: ignore[attr-defined]
        assert _status(db, ghost) is AlertStatus.OPEN
        done = _post(client, f"/staff/alerts/{ghost}/dismiss", {"reason": "店铺已注销"})
        assert done.status_code == 303  # type: ignore[attr-defined]
        assert _status(db, ghost) is AlertStatus.DISMISSED

    def test_refuses_page_without_scope(
        self, app: FastAPI, client: TestClient, db: Database
    ) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "auditor", Role.AUDITOR)
        factories.login(client, "auditor")
        assert client.get("/staff/alerts").status_code == 403
