"""The fund API: open a fund, pay in, pay out, recover, read balances, journal and reconcile."""

from __future__ import annotations

from ecredit.authz.principals import Scope
from ecredit.models.org import OrgKind
from tests.factories import subjects as make
from tests.factories.api import Api

FUNDS = "/api/v1/funds"


class TestFundApi:
    def test_walk_balances_and_reconciles_when_movements_posted(self, api: Api) -> None:
        with api.db.unit_of_work() as session:
            platform = make.platform(session, api.vault).id
            seller = make.enterprise(session, api.vault).id
        manage = {"X-API-Key": api.key((Scope.FUND_MANAGE,), OrgKind.PLATFORM, platform)}
        fund = api.client.post(FUNDS, json={"platform_subject_id": platform}, headers=manage)
        assert fund.status_code == 201, fund.text
        base = f"{FUNDS}/{fund.json()['id']}"
        paid_in = {"amount": "0.10", "idempotency_key": "c1"}
        assert (
            api.client.post(f"{base}/contributions", json=paid_in, headers=manage).status_code
            == 201
        )
        assert (
            api.client.post(f"{base}/contributions", json=paid_in, headers=manage).status_code
            == 200
        )
        api.client.post(
            f"{base}/contributions",
            json={"amount": "0.20", "idempotency_key": "c2"},
            headers=manage,
        )
        payout = {"amount": "0.25", "idempotency_key": "p1", "seller_subject_id": seller,
                  "consumer": "13912345678", "reason": "seller_unreachable",
                  "complaint_ref": "TS-9"}  # fmt: skip
        body = api.client.post(f"{base}/payouts", json=payout, headers=manage).json()
        assert body["consumer_masked"] == "139****5678"
        assert "13912345678" not in str(body)
        over = api.client.post(
            f"{base}/payouts", json=payout | {"idempotency_key": "p2"}, headers=manage
        )
        assert over.status_code == 409
        assert "0.05" in over.json()["message"]
        back = {"amount": "0.30", "idempotency_key": "r1", "seller_subject_id": seller}
        assert api.client.post(f"{base}/recoveries", json=back, headers=manage).status_code == 409
        read = api.headers(Scope.RECORD_READ)
        balances = api.client.get(f"{base}/balances", headers=read).json()
        assert balances["accounts"]["fund_cash"] == "0.05"
        assert balances["receivables"] == [{"seller_subject_id": seller, "receivable": "0.25"}]
        assert api.client.get(f"{base}/entries?size=2", headers=read).json()["total"] == 3
        assert api.client.get(f"{base}/reconcile", headers=read).json() == {
            "ok": True,
            "problems": [],
        }

    def test_amount_is_refused_naming_field_when_three_decimals(self, api: Api) -> None:
        with api.db.unit_of_work() as session:
            platform = make.platform(session, api.vault).id
        headers = api.headers(Scope.FUND_MANAGE)
        fund = api.client.post(
            FUNDS, json={"platform_subject_id": platform}, headers=headers
        ).json()
        bad = {"amount": "1.001", "idempotency_key": "x"}
        response = api.client.post(f"{FUNDS}/{fund['id']}/contributions", json=bad, headers=headers)
        assert response.status_code == 422
        assert response.json()["problems"][0]["field"] == "amount"

    def test_other_platform_is_forbidden_when_managing_fund(self, api: Api) -> None:
        with api.db.unit_of_work() as session:
            platform = make.platform(session, api.vault).id
            other = make.platform(session, api.vault).id
        headers = {"X-API-Key": api.key((Scope.FUND_MANAGE,), OrgKind.PLATFORM, other)}
        response = api.client.post(FUNDS, json={"platform_subject_id": platform}, headers=headers)
        assert response.status_code == 403
