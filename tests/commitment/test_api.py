"""The commitments API walked through a running app: templates, signing, breach, withdrawal and
the public view."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select

from ecredit.authz.principals import Scope
from ecredit.models.ledger import LedgerEntry
from ecredit.models.org import OrgKind
from tests.factories import commitments as make_c
from tests.factories import subjects as make
from tests.factories.api import Api

V1, PUBLIC = "/api/v1", "/api/v1/public"


@dataclass
class Market:
    platform_key: str
    merchant_id: int
    person_id: int
    foreign_id: int


@pytest.fixture
def market(api: Api) -> Market:
    """A platform with an enterprise and a natural-person merchant, and another platform's
    merchant."""
    with api.db.unit_of_work() as session:
        platform, other = make.platform(session, api.vault), make.platform(session, api.vault)
        merchant = make.enterprise(session, api.vault)
        person = make.natural_person(session, api.vault, name="王小明")
        foreign = make.enterprise(session, api.vault)
        for owner, shopkeeper in ((platform, merchant), (platform, person), (other, foreign)):
            make_c.shop(session, owner, shopkeeper)
        ids = (platform.id, merchant.id, person.id, foreign.id)
    key = api.key([Scope.COMMITMENT_WRITE, Scope.RECORD_WRITE], OrgKind.PLATFORM, ids[0])
    return Market(key, *ids[1:])


def _sign(api: Api, key: str, subject_id: int, **body: object) -> httpx.Response:
    body = {"template_code": "ecommerce_merchant"} | body
    url = f"{V1}/subjects/{subject_id}/commitments"
    response: httpx.Response = api.client.post(url, json=body, headers={"X-API-Key": key})
    return response


class TestTemplatesApi:
    def test_lists_current_versions_when_public_asks(self, api: Api) -> None:
        response = api.client.get(f"{PUBLIC}/commitment-templates")
        assert response.status_code == 200
        body = {t["code"]: t for t in response.json()}
        assert set(body) == {"ecommerce_merchant", "food_seller", "logistics_carrier"}
        merchant = body["ecommerce_merchant"]
        assert merchant["version"] == 2
        days = next(p for p in merchant["parameters"] if p["name"] == "return_days")
        assert (days["type"], days["default"], days["min"], days["max"]) == ("int", 7, 7, 30)
        assert [c["kind"] for c in merchant["clauses"]][-1] == "discipline"

    def test_shows_an_old_version_when_asked_by_number(self, api: Api) -> None:
        url = f"{PUBLIC}/commitment-templates/ecommerce_merchant"
        assert api.client.get(url, params={"version": 1}).json()["version"] == 1
        assert api.client.get(url).json()["version"] == 2
        assert api.client.get(url, params={"version": 7}).status_code == 404
        assert api.client.get(f"{PUBLIC}/commitment-templates/nothing").status_code == 404


class TestSigningApi:
    def test_signs_for_own_merchant_when_platform_key(self, api: Api, market: Market) -> None:
        response = _sign(api, market.platform_key, market.merchant_id, params={"return_days": 15})
        assert response.status_code == 201, response.text
        body = response.json()
        assert (body["status"], body["template_version"]) == ("active", 2)
        assert "15日内无理由退货" in body["text"]
        assert body["signed_via_org_id"] is not None

    def test_forbidden_when_platform_signs_for_another_platforms_merchant(
        self, api: Api, market: Market
    ) -> None:
        response = _sign(api, market.platform_key, market.foreign_id)
        assert (response.status_code, response.json()["error"]) == (403, "forbidden")

    def test_names_the_field_when_return_days_out_of_bounds(self, api: Api, market: Market) -> None:
        response = _sign(api, market.platform_key, market.merchant_id, params={"return_days": 3})
        assert response.status_code == 422
        assert response.json()["problems"] == [
            {
                "field": "params.return_days",
                "rule": "min",
                "message": "params.return_days: must be at least 7 (got 3)",
            }
        ]

    def test_refuses_a_fractional_param_when_payload_validated(
        self, api: Api, market: Market
    ) -> None:
        response = _sign(api, market.platform_key, market.merchant_id, params={"return_days": 7.5})
        assert response.status_code == 422
        assert response.json()["problems"][0]["field"].startswith("params.return_days")

    def test_conflicts_when_signed_twice(self, api: Api, market: Market) -> None:
        assert _sign(api, market.platform_key, market.merchant_id).status_code == 201
        again = _sign(api, market.platform_key, market.merchant_id)
        assert (again.status_code, again.json()["error"]) == (409, "conflict")

    def test_not_found_when_subject_unknown(self, api: Api, market: Market) -> None:
        assert _sign(api, market.platform_key, 999_999).status_code == 404


class TestLifecycleApi:
    def test_walks_from_signing_to_breach_when_public_watches(
        self, api: Api, market: Market
    ) -> None:
        signed = _sign(api, market.platform_key, market.person_id).json()
        public_url = f"{PUBLIC}/subjects/{market.person_id}/commitments"
        [shown] = api.client.get(public_url).json()
        assert (shown["id"], shown["status"], shown["subject_name"]) == (
            signed["id"],
            "active",
            "王**",
        )
        assert "王小明" not in api.client.get(public_url).text
        assert shown["text"] == signed["text"]

        office = {"X-API-Key": api.key([Scope.RECORD_WRITE], OrgKind.DEPARTMENT)}
        breach = {"summary": "拒绝退货", "evidence_refs": ["complaint:88"], "severity": "minor"}
        response = api.client.post(
            f"{V1}/commitments/{signed['id']}/breach", json=breach, headers=office
        )
        assert response.status_code == 200, response.text
        record_id = response.json()["outcome_record_id"]
        assert response.json()["status"] == "breached"

        [shown] = api.client.get(public_url).json()
        assert (shown["status"], shown["outcome_record_id"]) == ("breached", record_id)
        assert shown["outcome_date"] is not None
        reader = {"X-API-Key": api.key([Scope.RECORD_READ])}
        record = api.client.get(f"{V1}/records/{record_id}", headers=reader).json()
        assert record["type_code"] == "commitment_breach"
        with api.db.unit_of_work() as session:
            ledgered = select(LedgerEntry.seq).where(LedgerEntry.record_id == record_id)
            assert session.scalar(ledgered) is not None

        again = api.client.post(
            f"{V1}/commitments/{signed['id']}/breach", json=breach, headers=office
        )
        assert (again.status_code, again.json()["error"]) == (409, "conflict")

    def test_hides_a_withdrawn_commitment_when_public_asks(self, api: Api, market: Market) -> None:
        signed = _sign(api, market.platform_key, market.merchant_id).json()
        url = f"{V1}/commitments/{signed['id']}/withdraw"
        headers = {"X-API-Key": market.platform_key}
        response = api.client.post(url, json={"reason": "店铺关闭"}, headers=headers)
        assert (response.status_code, response.json()["status"]) == (200, "withdrawn")
        public = api.client.get(f"{PUBLIC}/subjects/{market.merchant_id}/commitments").json()
        assert public == []
        reader = {"X-API-Key": api.key([Scope.RECORD_READ])}
        staff = api.client.get(f"{V1}/subjects/{market.merchant_id}/commitments", headers=reader)
        assert [c["status"] for c in staff.json()] == ["withdrawn"]
        one = api.client.get(f"{V1}/commitments/{signed['id']}", headers=reader)
        assert one.json()["outcome_record_id"] is None
        again = api.client.post(url, json={"reason": "再次撤回"}, headers=headers)
        assert again.status_code == 409

    def test_breach_needs_record_scope_when_only_commitment_scope_held(
        self, api: Api, market: Market
    ) -> None:
        signed = _sign(api, market.platform_key, market.merchant_id).json()
        key = api.key([Scope.COMMITMENT_WRITE])
        response = api.client.post(
            f"{V1}/commitments/{signed['id']}/breach",
            json={"summary": "拒绝退货", "evidence_refs": ["c:1"]},
            headers={"X-API-Key": key},
        )
        assert response.status_code == 403

    def test_not_found_when_commitment_unknown(self, api: Api) -> None:
        reader = {"X-API-Key": api.key([Scope.RECORD_READ])}
        assert api.client.get(f"{V1}/commitments/424242", headers=reader).status_code == 404
        assert api.client.get(f"{PUBLIC}/subjects/424242/commitments").status_code == 404
