"""Products, batches and trace events: a GTIN with a valid check digit and a supply chain of a
manufacturer, a platform with a merchant's shop, and a carrier."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session
from stdnum import ean

from ecredit.authz.principals import SYSTEM
from ecredit.kit.crypto import Vault
from ecredit.models.subject import SubjectKind
from ecredit.models.trace import ProductCategory
from ecredit.subject.schemas import ShopCreate
from ecredit.subject.service import subject_service
from ecredit.trace.schemas import BatchCreate, ProductCreate, TraceEventIn
from ecredit.trace.service import trace_service
from tests.factories import subjects as make

_serial = itertools.count(1)
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def gtin(serial: int | None = None) -> str:
    """A valid GTIN-13 with the GS1 China prefix 690-695."""
    n = next(_serial) if serial is None else serial
    body = f"690{n:09d}"
    return body + ean.calc_check_digit(body)


@dataclass
class Chain:
    manufacturer_id: int
    platform_id: int
    merchant_id: int
    carrier_id: int
    shop_id: int
    gtin: str
    batch_code: str = "L2026A"

    def event(self, event_id: str, step: str, hours: int, **values: Any) -> TraceEventIn:
        """An event `hours` after T0, by the merchant unless told otherwise."""
        data: dict[str, Any] = {
            "event_id": event_id,
            "gtin": self.gtin,
            "batch_code": self.batch_code,
            "event_time": T0 + timedelta(hours=hours),
            "business_step": step,
            "responsible_id": self.merchant_id,
            "responsible_role": "merchant",
        }
        return TraceEventIn(**(data | values))


def chain(session: Session, vault: Vault) -> Chain:
    """A registered product (a food) with batch L2026A, and the parties of its chain."""
    maker = make.register(session, vault, SubjectKind.MANUFACTURER, name="本溪市老边乳业有限公司")
    platform = make.platform(session, vault)
    merchant = make.enterprise(session, vault)
    carrier = make.register(session, vault, SubjectKind.LOGISTICS)
    shop = subject_service.add_shop(
        session,
        ShopCreate(
            platform_id=platform.id,
            merchant_id=merchant.id,
            shop_code=f"S{merchant.id}",
            name="老边乳业旗舰店",
        ),
        SYSTEM,
    )
    code = gtin()
    product = ProductCreate(
        gtin=code, name="纯牛奶 250ml", category=ProductCategory.FOOD, manufacturer_id=maker.id
    )
    trace_service.register_product(session, product)
    trace_service.add_batch(session, code, BatchCreate(batch_code="L2026A"))
    return Chain(maker.id, platform.id, merchant.id, carrier.id, shop.id, code)
