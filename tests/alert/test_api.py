"""Alerts over HTTP: a platform pages through its own, a regulator confirms or dismisses."""

from __future__ import annotations

from ecredit.alert.service import alert_service
from ecredit.authz.principals import Scope
from ecredit.models.org import OrgKind
from tests.alert.conftest import Market, market
from tests.factories.alerts import finding
from tests.factories.api import Api

ALERTS = "/api/v1/alerts"


def _raised(api: Api, count: int = 3) -> Market:
    with api.db.unit_of_work() as session:
        shops = market(session, api.vault)
        findings = [finding(shops.platform_id, shops.shop_code) for _ in range(count)]
        alert_service.raise_findings(session, findings)
    return shops


class TestAlertApi:
    def test_platform_sees_only_its_shops_when_listing(self, api: Api) -> None:
        ours, theirs = _raised(api, 3), _raised(api, 2)
        key = api.key((Scope.ALERT_READ,), OrgKind.PLATFORM, ours.platform_id)
        page = api.client.get(f"{ALERTS}?size=2&platform_id={theirs.platform_id}",
                              headers={"X-API-Key": key}).json()  # fmt: skip
        assert (page["total"], len(page["items"])) == (3, 2)
        assert {item["platform_id"] for item in page["items"]} == {ours.platform_id}
        other = api.client.get(f"{ALERTS}?platform_id={theirs.platform_id}",
                               headers=api.headers(Scope.ALERT_READ)).json()  # fmt: skip
        alert_id = other["items"][0]["id"]
        denied = api.client.get(f"{ALERTS}/{alert_id}", headers={"X-API-Key": key})
        assert denied.status_code == 403

    def test_confirm_records_and_second_decision_is_409(self, api: Api) -> None:
        shops = _raised(api, 1)
        review = api.headers(Scope.ALERT_READ, Scope.ALERT_REVIEW, Scope.RECORD_READ)
        [alert] = api.client.get(f"{ALERTS}?status=open&shop_code={shops.shop_code}",
                                 headers=review).json()["items"]  # fmt: skip
        assert "orders: [o1, o2, o3]" in alert["summary"]
        confirmed = api.client.post(f"{ALERTS}/{alert['id']}/confirm",
                                    json={"note": "经核查属实"}, headers=review)  # fmt: skip
        assert confirmed.status_code == 200, confirmed.text
        body = confirmed.json()
        assert (body["status"], body["subject_id"]) == ("confirmed", shops.merchant_id)
        again = api.client.post(f"{ALERTS}/{alert['id']}/dismiss", json={"reason": "误报"},
                                headers=review)  # fmt: skip
        assert again.status_code == 409
        record = api.client.get(f"/api/v1/records/{body['record_id']}", headers=review)
        assert record.status_code == 200
        assert f"alert:{alert['id']}" in str(record.json())

    def test_platform_cannot_decide_and_reason_is_required(self, api: Api) -> None:
        shops = _raised(api, 1)
        platform = {"X-API-Key": api.key(tuple(Scope), OrgKind.PLATFORM, shops.platform_id)}
        [alert] = api.client.get(ALERTS, headers=platform).json()["items"]
        url = f"{ALERTS}/{alert['id']}/dismiss"
        assert api.client.post(url, json={"reason": "不是"}, headers=platform).status_code == 403
        office = api.headers(Scope.ALERT_REVIEW)
        missing = api.client.post(url, json={}, headers=office)
        assert missing.status_code == 422
        assert missing.json()["problems"][0]["field"] == "reason"
        assert api.client.post(url, json={"reason": "正常促销"}, headers=office).status_code == 200
