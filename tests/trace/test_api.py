"""The traceability API: product and event ingestion, the trace of a batch (来源可查、去向可追、
责任可究), the public trace without personal or order data, a recall and its CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from ecredit.authz.principals import ROLE_SCOPES, Role, Scope
from ecredit.models.org import OrgKind
from ecredit.models.subject import SubjectKind
from tests.factories import subjects as make
from tests.factories import trace as factory
from tests.factories.api import Api

TRACE = "/api/v1/trace"
PUBLIC = "/api/v1/public/trace"
CONSUMERS = ("13900001234", "13800005678")


def _body(chain: factory.Chain, event_id: str, step: str, hours: int, **values: Any) -> Any:
    return chain.event(event_id, step, hours, **values).model_dump(mode="json")


def _events(chain: factory.Chain) -> list[Any]:
    """Two orders through one shop, one shipped and complained about; sent out of order."""
    carrier = {"responsible_id": chain.carrier_id, "responsible_role": "carrier"}
    sold = {"shop_id": chain.shop_id, "region_code": "210502"}
    return [
        _body(
            chain,
            "e5",
            "complained",
            50,
            order_ref="O-1",
            consumer_ref=CONSUMERS[0],
            disposition="变质",
            responsible_id=chain.platform_id,
            responsible_role="platform",
        ),
        _body(chain, "e3", "shipped", 30, order_ref="O-1", waybill="SF1001", **carrier),
        _body(chain, "e1", "listed", 10, shop_id=chain.shop_id),
        _body(chain, "e2", "sold", 20, order_ref="O-1", consumer_ref=CONSUMERS[0], **sold),
        _body(chain, "e4", "sold", 40, order_ref="O-2", consumer_ref=CONSUMERS[1], **sold),
    ]


@pytest.fixture
def chain(api: Api) -> factory.Chain:
    with api.db.unit_of_work() as session:
        made = factory.chain(session, api.vault)
    response = api.client.post(
        f"{TRACE}/events", json={"events": _events(made)}, headers=api.headers(Scope.TRACE_WRITE)
    )
    assert response.json()["created"] == 5, response.text
    return made


class TestRegistration:
    def test_registers_product_and_batch_when_registrar_posts(self, api: Api) -> None:
        assert Scope.TRACE_WRITE in ROLE_SCOPES[Role.REGISTRAR]
        headers = api.headers(Scope.TRACE_WRITE)
        with api.db.unit_of_work() as session:
            maker = make.register(session, api.vault, SubjectKind.MANUFACTURER).id
        gtin = factory.gtin()
        product = {"gtin": gtin, "name": "感冒灵颗粒", "category": "drug", "manufacturer_id": maker}
        assert (
            api.client.post(f"{TRACE}/products", json=product, headers=headers).status_code == 201
        )
        batch = {"batch_code": "B01", "produced_on": "2026-01-01", "expires_on": "2027-12-31"}
        response = api.client.post(f"{TRACE}/products/{gtin}/batches", json=batch, headers=headers)
        assert (response.status_code, response.json()["batch_code"]) == (201, "B01")

    def test_names_gtin_rule_when_check_digit_wrong(self, api: Api) -> None:
        wrong, expected = make.with_wrong_check_character(factory.gtin())
        product = {"gtin": wrong, "name": "x", "category": "other", "manufacturer_id": 1}
        response = api.client.post(
            f"{TRACE}/products", json=product, headers=api.headers(Scope.TRACE_WRITE)
        )
        problem = response.json()["problems"][0]
        assert (response.status_code, problem["field"], problem["rule"]) == (
            422,
            "gtin",
            "check_character",
        )
        assert f"should be '{expected}'" in problem["message"]


class TestTrace:
    def test_answers_origin_chain_destinations_and_complaints_when_batch_traced(
        self, api: Api, chain: factory.Chain
    ) -> None:
        body = api.client.get(
            f"{TRACE}/{chain.gtin}/L2026A", headers=api.headers(Scope.RECORD_READ)
        ).json()
        assert body["origin"] == {
            "id": chain.manufacturer_id,
            "name": "本溪市老边乳业有限公司",
            "role": "manufacturer",
        }
        assert [s["event_id"] for s in body["steps"]] == ["e1", "e2", "e3", "e4", "e5"]
        assert [s["responsible"]["role"] for s in body["steps"]] == [
            "merchant",
            "merchant",
            "carrier",
            "merchant",
            "platform",
        ]
        assert body["steps"][2]["waybill"] == "SF1001"
        assert body["orders"] == ["O-1", "O-2"]
        assert body["shops"] == [{"id": chain.shop_id, "name": "老边乳业旗舰店"}]
        assert [(c["event_id"], c["disposition"]) for c in body["complaints"]] == [("e5", "变质")]
        assert body["steps"][1]["consumer_masked"] == "139****1234"
        assert CONSUMERS[0] not in str(body)

    def test_reports_duplicates_when_whole_chain_resent(
        self, api: Api, chain: factory.Chain
    ) -> None:
        response = api.client.post(
            f"{TRACE}/events",
            json={"events": _events(chain)},
            headers=api.headers(Scope.TRACE_WRITE),
        )
        assert (response.json()["created"], response.json()["duplicates"]) == (0, 5)

    def test_shows_no_consumer_or_order_data_when_public_trace_read(
        self, api: Api, chain: factory.Chain
    ) -> None:
        response = api.client.get(f"{PUBLIC}/{chain.gtin}/L2026A")
        text, body = response.text, response.json()
        assert len(body["steps"]) == 5
        for secret in (*CONSUMERS, "139****1234", "O-1", "O-2", "SF1001"):
            assert secret not in text
        assert not {"order_ref", "waybill", "consumer_masked"} & set(body["steps"][0])

    def test_not_found_when_batch_unknown(self, api: Api, chain: factory.Chain) -> None:
        assert api.client.get(f"{PUBLIC}/{chain.gtin}/NOPE").status_code == 404


class TestRecall:
    def test_lists_every_affected_order_and_csv_matches_when_batch_recalled(
        self, api: Api, chain: factory.Chain
    ) -> None:
        recall = api.client.post(
            f"{TRACE}/{chain.gtin}/L2026A/recall",
            json={"reason": "菌落总数超标", "event_id": "r1"},
            headers=api.headers(Scope.TRACE_WRITE),
        )
        assert (recall.status_code, recall.json()["recalled"]) == (201, True)
        url, read = f"{TRACE}/{chain.gtin}/L2026A/recall-set", api.headers(Scope.RECORD_READ)
        found = api.client.get(url, headers=read).json()
        assert [o["order_ref"] for o in found["orders"]] == ["O-1", "O-2"]
        assert [o["last_step"] for o in found["orders"]] == ["complained", "sold"]
        assert found["orders"][0]["waybill"] == "SF1001"
        assert found["shops"] == [{"id": chain.shop_id, "name": "老边乳业旗舰店"}]
        assert found["consumers"] == ["139****1234", "138****5678"]
        exported = api.client.get(url, params={"format": "csv"}, headers=read)
        assert exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(exported.text)))
        assert [(r["order_ref"], r["consumer_masked"], r["last_step"]) for r in rows] == [
            (o["order_ref"], o["consumer_masked"], o["last_step"]) for o in found["orders"]
        ]
        assert all(r["shop_id"] == str(chain.shop_id) for r in rows)

    def test_public_trace_shows_recall_when_batch_recalled(
        self, api: Api, chain: factory.Chain
    ) -> None:
        api.client.post(
            f"{TRACE}/{chain.gtin}/L2026A/recall",
            json={"reason": "标签错误"},
            headers=api.headers(Scope.TRACE_WRITE),
        )
        body = api.client.get(f"{PUBLIC}/{chain.gtin}/L2026A").json()
        assert body["recalled"] is True
        assert body["steps"][-1]["business_step"] == "recalled"


class TestPublicNames:
    def test_masks_natural_person_merchant_when_public_trace_read(self, api: Api) -> None:
        with api.db.unit_of_work() as session:
            made = factory.chain(session, api.vault)
            person = make.natural_person(session, api.vault, name="张三丰").id
        event = _body(made, "p1", "listed", 1, responsible_id=person)
        api.client.post(
            f"{TRACE}/events", json={"events": [event]}, headers=api.headers(Scope.TRACE_WRITE)
        )
        response = api.client.get(f"{PUBLIC}/{made.gtin}/L2026A")
        assert response.json()["steps"][0]["responsible"]["name"] == "张**"
        assert "三丰" not in response.text


class TestSubmitterMayActForResponsibleParty:
    def _post(self, api: Api, chain: factory.Chain, key: str, *events: Any) -> Any:
        response = api.client.post(
            f"{TRACE}/events", json={"events": list(events)}, headers={"X-API-Key": key}
        )
        assert response.status_code == 200, response.text
        return response.json()

    def test_platform_reports_steps_of_its_shops_and_its_merchants_only(
        self, api: Api, chain: factory.Chain
    ) -> None:
        own = api.key([Scope.TRACE_WRITE], OrgKind.PLATFORM, subject_id=chain.platform_id)
        with api.db.unit_of_work() as session:
            other_platform = make.platform(session, api.vault).id
        other = api.key([Scope.TRACE_WRITE], OrgKind.PLATFORM, subject_id=other_platform)
        sold = {"shop_id": chain.shop_id, "order_ref": "O-9"}
        merchant = {"responsible_id": chain.merchant_id, "responsible_role": "merchant"}
        report = self._post(api, chain, own, _body(chain, "p1", "sold", 60, **sold, **merchant))
        assert report["created"] == 1
        refused = self._post(api, chain, other, _body(chain, "p2", "sold", 61, **sold, **merchant))
        assert refused["rows"][0]["status"] == "rejected"
        assert "responsible_id" in refused["rows"][0]["message"]

    def test_carrier_reports_its_own_steps_but_not_another_carriers(
        self, api: Api, chain: factory.Chain
    ) -> None:
        carrier = api.key([Scope.TRACE_WRITE], OrgKind.LOGISTICS, subject_id=chain.carrier_id)
        mine = {"responsible_id": chain.carrier_id, "responsible_role": "carrier"}
        maker = {"responsible_id": chain.manufacturer_id, "responsible_role": "manufacturer"}
        report = self._post(
            api,
            chain,
            carrier,
            _body(chain, "c1", "shipped", 70, waybill="SF9", **mine),
            _body(chain, "c2", "shipped", 71, waybill="SF9", **maker),
        )
        assert [row["status"] for row in report["rows"]] == ["created", "rejected"]
        assert "logistics reports trace steps only for itself" in report["rows"][1]["message"]
