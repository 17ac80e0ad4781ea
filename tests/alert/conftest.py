"""Fixtures of the alert tests: a platform with a merchant's shop, and the record service."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from ecredit.kit.crypto import Vault
from ecredit.record.service import RecordService
from tests.factories import alerts
from tests.factories import records as record_factory
from tests.factories import subjects as make
from tests.factories.api import api, client  # noqa: F401
from tests.factories.subjects import vault  # noqa: F401


@dataclass(frozen=True)
class Market:
    platform_id: int
    merchant_id: int
    shop_id: int
    shop_code: str


def market(session: Session, keys: Vault) -> Market:
    platform, merchant = make.platform(session, keys), make.enterprise(session, keys)
    shop = alerts.shop(session, platform, merchant)
    return Market(platform.id, merchant.id, shop.id, shop.shop_code)


@pytest.fixture
def shop_market(session: Session, vault: Vault) -> Market:  # noqa: F811
    return market(session, vault)


@pytest.fixture
def records() -> RecordService:
    service, _clock = record_factory.fixed_service(record_factory.beijing_today())
    return service
