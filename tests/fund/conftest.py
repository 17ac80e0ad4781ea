"""Fixtures of the fund tests: the vault, the running app, a platform with a fund and a seller."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.fund.service import fund_service
from ecredit.kit.crypto import Vault
from tests.factories import subjects as make
from tests.factories.api import api, client  # noqa: F401
from tests.factories.subjects import vault  # noqa: F401


@dataclass(frozen=True)
class Setup:
    fund_id: int
    platform_id: int
    seller_id: int


def open_fund(session: Session, keys: Vault) -> Setup:
    platform = make.platform(session, keys)
    seller = make.enterprise(session, keys)
    fund = fund_service.create(session, SYSTEM, platform.id)
    return Setup(fund.id, platform.id, seller.id)


@pytest.fixture
def setup(session: Session, vault: Vault) -> Setup:  # noqa: F811
    return open_fund(session, vault)
