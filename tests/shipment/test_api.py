"""The logistics API: a carrier pushes its own scans in batches, the black-listed carrier is
refused with a 4xx naming the list, evaluations, and the public trace without personal data."""

from __future__ import annotations

from typing import Any

import pytest

from ecredit.authz.principals import Scope
from ecredit.models.org import OrgKind
from ecredit.models.subject import SubjectKind
from tests.factories import shipments as factory
from tests.factories import subjects as make
from tests.factories.api import Api
from tests.shipment.test_service import blacklist

SHIPMENTS = "/api/v1/shipments"
PUBLIC = "/api/v1/public/shipments"
COURIER = "王小明"


@pytest.fixture
def world(api: Api) -> dict[str, Any]:
    """A carrier with its key, another carrier's key, a platform key, a courier (a person)."""
    with api.db.unit_of_work() as session:
        carrier = make.register(session, api.vault, SubjectKind.LOGISTICS).id
        other = make.register(session, api.vault, SubjectKind.LOGISTICS).id
        courier = make.register(
            session, api.vault, SubjectKind.PRACTITIONER, name=COURIER, employer_id=carrier
        ).id
    write = (Scope.SHIPMENT_WRITE,)
    return {
        "carrier": carrier,
        "other": other,
        "courier": courier,
        "carrier_key": {"X-API-Key": api.key(write, OrgKind.LOGISTICS, carrier)},
        "other_key": {"X-API-Key": api.key(write, OrgKind.LOGISTICS, other)},
        "platform_key": {"X-API-Key": api.key((*write, Scope.SHIPMENT_EVALUATE), OrgKind.PLATFORM)},
    }


def _register(api: Api, world: dict[str, Any], carrier: int | None = None) -> Any:
    body = {
        "waybill": factory.waybill(),
        "carrier_id": carrier or world["carrier"],
        "declared_weight_g": 800,
        "origin_area": "210502",
        "destination_area": "210102",
        "consignee_phone": factory.CONSIGNEE,
    }
    return api.client.post(SHIPMENTS, json=body, headers=world["platform_key"])


def _events(waybill: str, courier: int) -> list[Any]:
    return [e.model_dump(mode="json") for e in factory.journey(waybill, courier)]


class TestTracking:
    def test_carrier_pushes_own_batch_idempotently(self, api: Api, world: dict[str, Any]) -> None:
        waybill = _register(api, world).json()["waybill"]
        events = _events(waybill, world["courier"])
        url, headers = f"{SHIPMENTS}/events", world["carrier_key"]
        first = api.client.post(url, json={"events": events[::-1]}, headers=headers).json()
        again = api.client.post(url, json={"events": events}, headers=headers).json()
        assert (first["created"], again["created"], again["duplicates"]) == (5, 0, 5)
        trace = api.client.get(f"{SHIPMENTS}/{waybill}", headers=api.headers(Scope.RECORD_READ))
        assert trace.json()["shipment"]["status"] == "signed"

    def test_rejects_rows_of_another_carriers_shipment(
        self, api: Api, world: dict[str, Any]
    ) -> None:
        waybill = _register(api, world).json()["waybill"]
        response = api.client.post(
            f"{SHIPMENTS}/events",
            headers=world["other_key"],
            json={"events": _events(waybill, world["courier"])[:1]},
        )
        body = response.json()
        assert (response.status_code, body["created"], body["rows"][0]["rule"]) == (
            200,
            0,
            "not_own_shipment",
        )

    def test_forbidden_when_platform_pushes_scans(self, api: Api, world: dict[str, Any]) -> None:
        waybill = _register(api, world).json()["waybill"]
        response = api.client.post(
            f"{SHIPMENTS}/events",
            headers=world["platform_key"],
            json={"events": _events(waybill, world["courier"])},
        )
        assert response.status_code == 403

    def test_names_field_when_event_status_unknown(self, api: Api, world: dict[str, Any]) -> None:
        event = _events("SD0000000009", world["courier"])[0] | {"status": "lost"}
        response = api.client.post(
            f"{SHIPMENTS}/events", json={"events": [event]}, headers=world["carrier_key"]
        )
        assert response.status_code == 422
        assert response.json()["problems"][0]["field"] == "events.0.status"


class TestRegistration:
    def test_conflict_when_waybill_registered_twice(self, api: Api, world: dict[str, Any]) -> None:
        body = _register(api, world).json()
        again = {k: body[k] for k in ("waybill", "carrier_id", "origin_area", "destination_area")}
        again["declared_weight_g"] = 500
        response = api.client.post(SHIPMENTS, json=again, headers=world["platform_key"])
        assert response.status_code == 409
        assert body["waybill"] in response.json()["message"]

    def test_names_field_when_carrier_is_not_a_logistics_subject(
        self, api: Api, world: dict[str, Any]
    ) -> None:
        response = _register(api, world, world["courier"])
        assert response.status_code == 422
        assert response.json()["problems"][0]["field"] == "carrier_id"


class TestBlackList:
    def test_refuses_listed_carrier_with_409_naming_list(
        self, api: Api, world: dict[str, Any]
    ) -> None:
        with api.db.unit_of_work() as session:
            blacklist(session, world["carrier"])
        response = _register(api, world)
        assert response.status_code == 409
        [problem] = response.json()["problems"]
        assert (problem["field"], problem["rule"]) == ("carrier_id", "logistics_blacklist")
        assert _register(api, world, world["other"]).status_code == 201


class TestEvaluationAndPublicTrace:
    def test_public_trace_shows_no_personal_data(self, api: Api, world: dict[str, Any]) -> None:
        waybill = _register(api, world).json()["waybill"]
        api.client.post(
            f"{SHIPMENTS}/events",
            json={"events": _events(waybill, world["courier"])},
            headers=world["carrier_key"],
        )
        rating = {
            "subject_id": world["courier"],
            "party": "consumer",
            "rating": 5,
            "comment": "送货上门",
            "consignee_phone": factory.CONSIGNEE,
        }
        url = f"{SHIPMENTS}/{waybill}/evaluations"
        assert api.client.post(url, json=rating, headers=world["platform_key"]).status_code == 201
        again = api.client.post(url, json=rating, headers=world["platform_key"])
        assert (again.status_code, again.json()["problems"][0]["rule"]) == (409, "one_per_party")
        public = api.client.get(f"{PUBLIC}/{waybill}")
        assert public.status_code == 200
        assert len(public.json()["steps"]) == 5
        for secret in (COURIER, factory.CONSIGNEE, "139****5678"):
            assert secret not in public.text
        staff = api.client.get(f"{SHIPMENTS}/{waybill}", headers=api.headers(Scope.RECORD_READ))
        assert factory.CONSIGNEE not in staff.text
        assert staff.json()["shipment"]["consignee_phone_masked"] == "139****5678"

    def test_not_found_when_waybill_unknown(self, api: Api) -> None:
        assert api.client.get(f"{PUBLIC}/SD9999999999").status_code == 404
