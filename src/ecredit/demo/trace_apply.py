"""Traceability in the demo city: one product per maker, two batches each, each batch listed in
shops, sold, shipped by a carrier, delivered and signed, some reviewed or complained about — and
one food batch recalled — through the traceability service."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from stdnum import ean

from ecredit.authz.principals import SYSTEM
from ecredit.demo import names
from ecredit.demo.apply import CityBuilder
from ecredit.demo.plan import CARRIERS, MANUFACTURERS
from ecredit.models.subject import Shop
from ecredit.models.trace import ProductCategory
from ecredit.trace.schemas import BatchCreate, ProductCreate, RecallCreate, TraceEventIn
from ecredit.trace.service import trace_service

# (product name, category) for each maker in MANUFACTURERS, in that order.
PRODUCTS = (
    ("桓仁冰酒 375ml", ProductCategory.FOOD),
    ("人参切片 50g", ProductCategory.DRUG),
    ("山泉饮用天然水 550ml", ProductCategory.FOOD),
    ("五女山椴树蜂蜜 500g", ProductCategory.FOOD),
    ("不锈钢合页 4 寸", ProductCategory.OTHER),
    ("林蛙油 10g", ProductCategory.FOOD),
)
RECALLED_MAKER = 2  # 本溪山泉食品: its first batch is recalled
RECALL_REASON = "菌落总数超标"
ORDERS_PER_BATCH = 4


@dataclass(frozen=True)
class _Party:
    id: int
    role: str


# (business step, hours after the sale, who answered for it, the event's other fields)
_Step = tuple[str, int, _Party, dict[str, object]]


def demo_gtin(maker_index: int) -> str:
    """A valid GTIN-13 under the GS1 China prefix, one per maker."""
    body = f"6920{maker_index + 1:04d}0001"
    return body + ean.calc_check_digit(body)


class TraceBuilder:
    def __init__(self, city: CityBuilder, anchor: date, seed: int) -> None:
        self.city = city
        self.rng = random.Random(seed + 10)
        self.start = datetime.combine(anchor - timedelta(days=40), time(1), UTC)
        self.shops = list(city.session.scalars(select(Shop).order_by(Shop.id)))

    def apply(self) -> None:
        for index, maker_name in enumerate(MANUFACTURERS):
            gtin = self._product(index, maker_name)
            for batch_number in (1, 2):
                code = f"L{self.start:%y%m}{index + 1:02d}{batch_number}"
                trace_service.add_batch(
                    self.city.session,
                    gtin,
                    BatchCreate(batch_code=code, produced_on=self.start.date()),
                )
                self._chain(gtin, code, index * 2 + batch_number)
        self._recall()

    def _product(self, index: int, maker_name: str) -> str:
        name, category = PRODUCTS[index]
        maker = self.city.subjects[maker_name]
        data = ProductCreate(
            gtin=demo_gtin(index), name=name, category=category, manufacturer_id=maker.id
        )
        return trace_service.register_product(self.city.session, data).gtin

    def _chain(self, gtin: str, batch: str, serial: int) -> None:
        """Listed in two shops, then each order sold, shipped, delivered and signed."""
        shops = self.rng.sample(self.shops, 2)
        carrier = _Party(self.city.subjects[self.rng.choice(CARRIERS)].id, "carrier")
        events = [
            self._event(
                gtin,
                batch,
                f"{batch}-listed-{shop.id}",
                "listed",
                0,
                _Party(shop.merchant_id, "merchant"),
                shop_id=shop.id,
            )
            for shop in shops
        ]
        for number in range(ORDERS_PER_BATCH):
            events += self._order(gtin, batch, shops[number % 2], carrier, serial, number)
        trace_service.ingest(self.city.session, self.city.vault, events, SYSTEM)

    def _order(
        self, gtin: str, batch: str, shop: Shop, carrier: _Party, serial: int, number: int
    ) -> list[TraceEventIn]:
        order = f"DD{serial:03d}{number:02d}{self.rng.randrange(10**6):06d}"
        merchant = _Party(shop.merchant_id, "merchant")
        hours = 24 * (1 + number)
        sold: dict[str, object] = {
            "order_ref": order,
            "shop_id": shop.id,
            "consumer_ref": names.phone(self.rng),
        }
        moved: dict[str, object] = {
            "order_ref": order,
            "waybill": f"BX{serial:03d}{number:02d}{order[-6:]}",
        }
        steps: list[_Step] = [("sold", 0, merchant, sold), ("shipped", 6, carrier, moved),
                              ("delivered", 30, carrier, moved),
                              ("signed", 34, carrier, moved)]  # fmt: skip
        if number == 1:
            steps.append(("reviewed", 60, merchant, {"order_ref": order, "shop_id": shop.id}))
        if number == 2:
            platform = _Party(shop.platform_id, "platform")
            steps.append(("complained", 72, platform, {"order_ref": order, "disposition": "破损"}))
        return [
            self._event(gtin, batch, f"{order}-{step}", step, hours + delay, party, **extra)
            for step, delay, party, extra in steps
        ]

    def _event(
        self, gtin: str, batch: str, event_id: str, step: str, hours: int, party: _Party,
        **values: object,
    ) -> TraceEventIn:  # fmt: skip
        return TraceEventIn.model_validate(
            {
                "event_id": event_id,
                "gtin": gtin,
                "batch_code": batch,
                "business_step": step,
                "event_time": self.start + timedelta(hours=hours),
                "responsible_id": party.id,
                "responsible_role": party.role,
                **values,
            }
        )

    def _recall(self) -> None:
        gtin = demo_gtin(RECALLED_MAKER)
        batch = f"L{self.start:%y%m}{RECALLED_MAKER + 1:02d}1"
        data = RecallCreate(reason=RECALL_REASON, event_id=f"{batch}-recall")
        trace_service.recall(self.city.session, gtin, batch, data, SYSTEM)
