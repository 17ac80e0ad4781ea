"""The subscriptions API: secret shown once and stored sealed, who may subscribe to what,
deliveries and the test ping."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from ecredit.authz.principals import Scope
from ecredit.config import Settings
from ecredit.jobs.service import JobService
from ecredit.kit.db import Database
from ecredit.models.org import OrgKind
from ecredit.models.subscription import Subscription
from ecredit.subscription.delivery import SECRET_CONTEXT
from ecredit.subscription.signing import verify
from tests.factories import subjects
from tests.factories.api import Api, running_app
from tests.factories.webhooks import Receiver

PATH = "/api/v1/subscriptions"
MANAGE = (Scope.SUBSCRIPTION_MANAGE,)


@pytest.fixture
def hook_api(hook_settings: Settings, db: Database) -> Iterator[Api]:
    with running_app(hook_settings, db) as running:
        yield running


def _platform_key(api: Api) -> str:
    with api.db.unit_of_work() as session:
        platform_id = subjects.platform(session, api.vault).id
    return api.key(MANAGE, OrgKind.PLATFORM, subject_id=platform_id)


def _create(api: Api, key: str, **values: Any) -> Any:
    body = {"url": "https://hooks.example.cn/ecredit", "event_types": ["list_entry.*"]} | values
    return api.client.post(PATH, json=body, headers={"X-API-Key": key})


class TestCreate:
    def test_shows_secret_once_and_stores_it_sealed_when_created(self, api: Api) -> None:
        key = _platform_key(api)
        response = _create(api, key, event_types=["list_entry.*", "repair_case.*"])
        assert response.status_code == 201, response.text
        created = response.json()
        secret = created["secret"]
        assert secret.startswith("whsec_")
        assert len(secret) > 40
        assert created["scope"] == "own_merchants"
        assert created["active"] is True
        with api.db.unit_of_work() as session:
            stored = session.get_one(Subscription, created["id"])
            assert secret not in stored.secret_sealed
            assert api.vault.cipher.decrypt(stored.secret_sealed, SECRET_CONTEXT) == secret
        listed = api.client.get(PATH, headers={"X-API-Key": key})
        assert [item["id"] for item in listed.json()] == [created["id"]]
        assert "secret" not in listed.text
        assert "sealed" not in listed.text

    def test_forbidden_when_platform_asks_for_all(self, api: Api) -> None:
        response = _create(api, _platform_key(api), scope="all")
        assert response.status_code == 403
        assert "own_merchants" in response.json()["message"]

    def test_created_when_credit_agency_asks_for_all(self, api: Api) -> None:
        key = api.key(MANAGE, OrgKind.CREDIT_AGENCY)
        assert _create(api, key, scope="all").status_code == 201

    def test_invalid_when_own_merchants_but_organisation_is_no_subject(self, api: Api) -> None:
        response = _create(api, api.key(MANAGE, OrgKind.CREDIT_OFFICE))
        assert response.status_code == 422
        assert response.json()["problems"][0]["rule"] == "own_subject_required"

    def test_invalid_when_url_is_http_and_http_not_allowed(self, api: Api) -> None:
        response = _create(api, _platform_key(api), url="http://hooks.example.cn/ecredit")
        assert response.status_code == 422
        assert response.json()["problems"][0]["field"] == "url"
        assert "https" in response.json()["message"]

    def test_created_when_url_is_http_and_http_allowed(self, hook_api: Api) -> None:
        response = _create(hook_api, _platform_key(hook_api), url="http://127.0.0.1:9/hook")
        assert response.status_code == 201

    @pytest.mark.parametrize("url", ["ftp://hooks.example.cn/x", "https://u:p@hooks.example.cn/x"])
    def test_invalid_when_url_unusable(self, api: Api, url: str) -> None:
        assert _create(api, _platform_key(api), url=url).status_code == 422

    def test_invalid_when_event_pattern_malformed(self, api: Api) -> None:
        response = _create(api, _platform_key(api), event_types=["list_entry.*", "LIST entry"])
        assert response.status_code == 422
        assert response.json()["problems"][0]["field"] == "event_types.1"


class TestOwnership:
    def test_not_found_when_another_organisation_asks(self, api: Api) -> None:
        created = _create(api, _platform_key(api)).json()
        other = {"X-API-Key": _platform_key(api)}
        assert api.client.get(PATH, headers=other).json() == []
        for method, suffix in (("DELETE", ""), ("GET", "/deliveries"), ("POST", "/test")):
            response = api.client.request(method, f"{PATH}/{created['id']}{suffix}", headers=other)
            assert response.status_code == 404, (method, suffix)


class TestPingAndDeliveries:
    def test_receiver_gets_signed_ping_when_test_requested(
        self, hook_api: Api, receiver: Receiver, runner: JobService
    ) -> None:
        key = _platform_key(hook_api)
        created = _create(hook_api, key, url=receiver.url).json()
        headers = {"X-API-Key": key}
        ping = hook_api.client.post(f"{PATH}/{created['id']}/test", headers=headers)
        assert ping.status_code == 202
        assert (ping.json()["event_type"], ping.json()["status"]) == ("ping", "pending")
        assert runner.run_due(hook_api.db) == 1
        [request] = receiver.requests
        assert verify(
            created["secret"],
            request.headers["X-Ecredit-Timestamp"],
            request.body,
            request.headers["X-Ecredit-Signature"],
        )
        [delivery] = hook_api.client.get(
            f"{PATH}/{created['id']}/deliveries", headers=headers
        ).json()
        assert delivery["event_id"] == ping.json()["event_id"]
        assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == (
            "delivered",
            1,
            204,
        )

    def test_conflict_when_pinging_deactivated_subscription(self, api: Api) -> None:
        key = _platform_key(api)
        created = _create(api, key).json()
        headers = {"X-API-Key": key}
        deleted = api.client.delete(f"{PATH}/{created['id']}", headers=headers)
        assert deleted.status_code == 200
        assert deleted.json()["active"] is False
        assert api.client.post(f"{PATH}/{created['id']}/test", headers=headers).status_code == 409
        with api.db.unit_of_work() as session:
            assert session.scalars(select(Subscription.active)).all() == [False]
