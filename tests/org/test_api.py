"""Administration over HTTP: organisations, users, API keys (shown once, hashed), parameters."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from ecredit.authz.principals import Scope
from ecredit.kit.crypto import hash_api_key
from ecredit.models.org import ApiKey, Organisation
from ecredit.models.parameters import ParameterRevision
from tests.factories import subjects as make
from tests.factories.api import Api

V1 = "/api/v1"


def _post(api: Api, path: str, body: dict[str, Any], key: str) -> Any:
    return api.client.post(f"{V1}{path}", json=body, headers={"X-API-Key": key})


class TestOrganisationApi:
    def test_creates_organisation_user_and_key_when_admin(self, api: Api) -> None:
        admin = api.key([Scope.ORG_ADMIN])
        org = _post(
            api, "/organisations", {"name": "本溪市市场监管局", "kind": "department"}, admin
        )
        assert org.status_code == 201, org.text
        org_id = org.json()["id"]
        user = _post(
            api,
            "/users",
            {
                "organisation_id": org_id,
                "username": "li.si",
                "display_name": "李四",
                "password": "a-long-password",
                "roles": ["verifier"],
            },
            admin,
        )
        assert user.status_code == 201, user.text
        assert user.json()["roles"] == ["verifier"]
        assert "password" not in user.text
        listed = api.client.get(f"{V1}/organisations", headers={"X-API-Key": admin}).json()
        assert org_id in [item["id"] for item in listed]

    def test_shows_key_once_and_stores_hash_when_key_created(self, api: Api) -> None:
        admin = api.key([Scope.ORG_ADMIN])
        with api.db.unit_of_work() as session:
            org_id = session.scalars(select(Organisation.id)).first()
        created = _post(
            api,
            "/api-keys",
            {"organisation_id": org_id, "name": "platform feed", "scopes": ["subject:read"]},
            admin,
        )
        assert created.status_code == 201, created.text
        key = created.json()["key"]
        assert key.startswith(f"ek_{created.json()['prefix']}_")
        with api.db.unit_of_work() as session:
            stored = session.get(ApiKey, created.json()["id"])
            assert stored is not None
            assert stored.key_hash != key
            assert stored.key_hash == hash_api_key(key)
        works = api.client.get(f"{V1}/subjects", headers={"X-API-Key": key})
        assert works.status_code == 200
        assert api.client.get(
            f"{V1}/subjects", headers={"Authorization": f"Bearer {key}"}
        ).is_success
        listed = api.client.get(f"{V1}/organisations", headers={"X-API-Key": admin})
        assert key not in listed.text

    def test_unauthorized_when_key_revoked(self, api: Api) -> None:
        admin = api.key([Scope.ORG_ADMIN])
        with api.db.unit_of_work() as session:
            org_id = session.scalars(select(Organisation.id)).first()
        body = {"organisation_id": org_id, "name": "short-lived", "scopes": ["subject:read"]}
        created = _post(api, "/api-keys", body, admin).json()
        revoked = _post(api, f"/api-keys/{created['id']}/revoke", {}, admin)
        assert revoked.status_code == 200
        assert revoked.json()["revoked_at"] is not None
        response = api.client.get(f"{V1}/subjects", headers={"X-API-Key": created["key"]})
        assert (response.status_code, response.json()["error"]) == (401, "unauthorized")

    @pytest.mark.parametrize("key", ["", "ek_00000000_not-a-key"], ids=["empty", "unknown"])
    def test_unauthorized_when_key_unknown(self, api: Api, key: str) -> None:
        response = api.client.get(f"{V1}/subjects", headers={"X-API-Key": key})
        assert response.status_code == 401

    def test_forbidden_when_key_lacks_admin_scope(self, api: Api) -> None:
        reader = api.key([Scope.SUBJECT_READ, Scope.SUBJECT_WRITE])
        response = _post(api, "/organisations", {"name": "某某局", "kind": "department"}, reader)
        assert (response.status_code, response.json()["error"]) == (403, "forbidden")
        assert "org:admin" in response.json()["message"]

    @pytest.mark.parametrize(
        ("body", "status", "field"),
        [
            ({"name": "某平台", "kind": "platform", "subject_id": 999_999}, 422, "subject_id"),
            ({"name": "某平台", "kind": "platform", "uscc": "91110000600037341A"}, 422, "uscc"),
            ({"name": "某平台", "kind": "bank"}, 422, "kind"),
        ],
        ids=["unknown-subject", "bad-uscc", "bad-kind"],
    )
    def test_names_field_when_organisation_invalid(
        self, api: Api, body: dict[str, Any], status: int, field: str
    ) -> None:
        response = _post(api, "/organisations", body, api.key([Scope.ORG_ADMIN]))
        assert response.status_code == status, response.text
        assert response.json()["problems"][0]["field"] == field

    def test_conflict_when_organisation_name_or_uscc_taken(self, api: Api) -> None:
        admin, code = api.key([Scope.ORG_ADMIN]), make.uscc_number()
        first = _post(
            api, "/organisations", {"name": "甲平台", "kind": "platform", "uscc": code}, admin
        )
        assert first.status_code == 201
        same_name = _post(api, "/organisations", {"name": "甲平台", "kind": "platform"}, admin)
        same_code = _post(
            api, "/organisations", {"name": "乙平台", "kind": "platform", "uscc": code}, admin
        )
        assert (same_name.status_code, same_code.status_code) == (409, 409)
        assert "uscc" in same_code.json()["message"]

    def test_conflict_when_username_taken(self, api: Api) -> None:
        admin = api.key([Scope.ORG_ADMIN])
        with api.db.unit_of_work() as session:
            org_id = session.scalars(select(Organisation.id)).first()
        body = {
            "organisation_id": org_id,
            "username": "wang",
            "display_name": "王",
            "password": "a-long-password",
        }
        assert _post(api, "/users", body, admin).status_code == 201
        assert _post(api, "/users", body, admin).status_code == 409


class TestParameterApi:
    KEY = "search.fuzzy_min_score"

    def test_creates_revision_when_parameter_changed(self, api: Api) -> None:
        writer = api.key([Scope.PARAMETER_WRITE, Scope.SUBJECT_READ])
        headers = {"X-API-Key": writer}
        for value in (70, "75"):
            response = api.client.put(
                f"{V1}/parameters/{self.KEY}",
                json={"value": value, "reason": "调优"},
                headers=headers,
            )
            assert response.status_code == 200, response.text
        assert response.json()["value"] == 75
        revisions = api.client.get(f"{V1}/parameters/{self.KEY}/revisions", headers=headers).json()
        assert [(r["revision"], r["value"]) for r in revisions] == [(1, 70), (2, 75)]
        assert {r["changed_by"] for r in revisions} == {f"apikey:{writer.split('_')[1]}"}
        listed = api.client.get(f"{V1}/parameters", headers=headers).json()
        assert {p["key"]: p["value"] for p in listed}[self.KEY] == 75

    @pytest.mark.parametrize(
        ("value", "rule"), [("high", "type"), (500, "maximum"), (-1, "minimum")]
    )
    def test_refuses_and_keeps_no_revision_when_value_bad(
        self, api: Api, value: object, rule: str
    ) -> None:
        response = api.client.put(
            f"{V1}/parameters/{self.KEY}",
            json={"value": value, "reason": "typo"},
            headers=api.headers(Scope.PARAMETER_WRITE),
        )
        assert response.status_code == 422
        assert (
            response.json()["problems"][0]["field"],
            response.json()["problems"][0]["rule"],
        ) == (
            self.KEY,
            rule,
        )
        with api.db.unit_of_work() as session:
            assert session.scalars(select(ParameterRevision)).all() == []

    def test_not_found_when_parameter_unknown(self, api: Api) -> None:
        response = api.client.put(
            f"{V1}/parameters/search.nonsense",
            json={"value": 1, "reason": "typo"},
            headers=api.headers(Scope.PARAMETER_WRITE),
        )
        assert response.status_code == 404
