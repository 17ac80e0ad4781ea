"""The public product trace page: a batch's steps by barcode and batch code, with no order or
consumer data, a recall shown first, and every bad input named."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from ecredit.authz.principals import SYSTEM
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.trace.schemas import RecallCreate
from ecredit.trace.service import trace_service
from tests.factories import trace as factory

CONSUMER = "13900001234"


@pytest.fixture
def chain(db: Database, vault: Vault) -> factory.Chain:
    with db.unit_of_work() as session:
        made = factory.chain(session, vault)
        carrier = {"responsible_id": made.carrier_id, "responsible_role": "carrier"}
        events = [
            made.event("e1", "listed", 1, shop_id=made.shop_id),
            made.event("e2", "sold", 2, order_ref="ORDER-778", consumer_ref=CONSUMER),
            made.event("e3", "shipped", 3, order_ref="ORDER-778", waybill="SF7788", **carrier),
        ]
        report = trace_service.ingest(session, vault, events, SYSTEM)
        assert report.created == 3
    return made


def test_shows_origin_and_steps_without_order_or_consumer_data(
    client: TestClient, chain: factory.Chain
) -> None:
    response = client.get("/trace", params={"gtin": chain.gtin, "batch": chain.batch_code})
    assert response.status_code == 200
    html = response.text
    assert "纯牛奶 250ml" in html
    assert "本溪市老边乳业有限公司" in html
    assert [step in html for step in ('data-step="listed"', 'data-step="sold"')] == [True, True]
    assert html.index('data-step="listed"') < html.index('data-step="shipped"')
    for secret in ("ORDER-778", "SF7788", CONSUMER, CONSUMER[-4:] + "<"):
        assert secret not in html
    assert 'data-testid="trace-recalled"' not in html


def test_warns_first_when_batch_recalled(
    client: TestClient, db: Database, chain: factory.Chain
) -> None:
    with db.unit_of_work() as session:
        trace_service.recall(
            session, chain.gtin, chain.batch_code, RecallCreate(reason="菌落总数超标"), SYSTEM
        )
    html = client.get("/trace", params={"gtin": chain.gtin, "batch": chain.batch_code}).text
    assert html.index('data-testid="trace-recalled"') < html.index('data-testid="trace-steps"')
    assert "该批次产品已被召回" in html


def test_names_the_check_digit_rule_when_barcode_wrong(
    client: TestClient, chain: factory.Chain
) -> None:
    wrong = chain.gtin[:-1] + str((int(chain.gtin[-1]) + 1) % 10)
    response = client.get("/trace", params={"gtin": wrong, "batch": chain.batch_code})
    assert response.status_code == 422
    assert "商品条码不正确" in response.text
    assert "GTIN: check character should be" in response.text


def test_names_each_missing_field_when_form_half_filled(client: TestClient) -> None:
    response = client.get("/trace", params={"gtin": "", "batch": "L1"})
    assert response.status_code == 422
    assert "请输入商品条码" in response.text
    english = client.get("/trace", params={"gtin": "6901234567892", "lang": "en"})
    assert english.status_code == 422
    assert "Enter the batch code." in english.text


def test_says_not_found_when_batch_unknown(client: TestClient, chain: factory.Chain) -> None:
    response = client.get("/trace", params={"gtin": chain.gtin, "batch": "NOPE"})
    assert response.status_code == 404
    assert 'data-testid="trace-not-found"' in response.text


def test_shows_only_the_form_when_nothing_asked(client: TestClient) -> None:
    response = client.get("/trace")
    assert response.status_code == 200
    assert 'data-testid="trace-form"' in response.text
    assert 'data-testid="trace-result"' not in response.text
