"""A platform's month of orders and their shipments for the demo lake, with the planted cases.

Ordinary trade: the platform's shops share `ORDERS_PER_PLATFORM` orders of their own items, a
few shops far busier than most (the review ring's shops are new, among the quietest), most of
them in the evening (Beijing time). Each buyer keeps one payment account, device and address and
never orders more than twice from one shop: ordinary trade alone never reaches the three orders
of one buyer that a brushing window needs. Every order ships on its own waybill, picked up within
30 hours and signed 14–96 hours later after four to seven scans; a few honest parcels show one
sign of an empty parcel (a same-city parcel signed fast, a locker's two scans, a misdeclared
weight), never two. A parcel not signed when the month ends is still on its way.

Planted (each only if the cast names its shop; ordinary orders of that shop near the episode are
left out, so the evidence holds exactly the planted orders):
- brushing: 15 orders of one cheap item from three buyers in 40 minutes (ratio 5), the three
  sharing a device and a payment account: an account ring;
- evasive: 12 orders from three buyers, one every 8 minutes in turn: no hour holds more than 8
  of them, so orders ÷ buyers never exceeds 8/3 and the shop is not brushing;
- empty parcels: one day's six orders from six buyers, shipped light, signed within hours, with
  only the pick-up and signature scans.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ecredit.demo.lake_plan import Month, PlatformCast
from ecredit.demo.shipments import PREFIXES as CARRIERS
from ecredit.kit.clock import SHANGHAI

Row = dict[str, Any]  # one record of a lake dataset, as JSON would carry it
ORDERS_PER_PLATFORM = 1600
ITEMS_PER_SHOP = 4
MAX_PAIR_ORDERS = 2
# Orders by hour of the day in Beijing: quiet nights, an evening peak.
DIURNAL = (3, 2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 9, 9, 9, 9, 8, 8, 9, 11, 13, 13, 10, 6)
BRUSHING_DAY, BRUSHING_HOUR = 11, 2.2
EVASIVE_DAY, EVASIVE_HOUR = 18, 23.1
EMPTY_DAY = 7
QUIET_MARGIN = timedelta(hours=3)  # no ordinary order of a planted shop this near its episode
RING_DEVICE, RING_PAYMENT = "DEV-9F3A7C21", "PAY-6222-0000-7781"


def iso(moment: datetime) -> str:
    """Beijing time with its offset, as platforms send it."""
    return moment.astimezone(SHANGHAI).isoformat(timespec="seconds")


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def items(seed: int, shop: str) -> list[tuple[str, int]]:
    """A shop's items and their list prices in cents; the prices dataset quotes the same."""
    rng = random.Random(f"items-{seed}-{shop}")
    return [
        (f"{shop}-{k:02d}", int(rng.lognormvariate(4.3, 0.8)) * 100 + 90)
        for k in range(1, ITEMS_PER_SHOP + 1)
    ]


@dataclass(frozen=True)
class Buyer:
    buyer_id: str
    payment: str
    device: str
    address: str


def _buyer(number: int, payment: str | None = None, device: str | None = None,
           address: str | None = None) -> Buyer:  # fmt: skip
    """A buyer with its own payment account, device and address unless told to share one."""
    return Buyer(
        f"U{number:06d}",
        payment or f"PAY-{number:06d}",
        device or f"DEV-{number:06d}",
        address or address_hash(f"buyer-{number}"),
    )


def address_hash(address: str) -> str:
    """What platforms send instead of an address: a hash of it."""
    return hashlib.sha256(address.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Order:
    shop: str
    buyer: Buyer
    at: datetime
    item: tuple[str, int]
    parcel: str = "ordinary"  # ordinary | empty


def month_orders(cast: PlatformCast, month: Month, seed: int) -> tuple[list[Row], list[Row]]:
    """(orders, shipments) of one platform's month, in order time."""
    book = _OrderBook(cast, month, seed)
    book.ordinary()
    book.planted()
    return book.rows()


class _OrderBook:
    """Draws one platform's orders, then ships them."""

    def __init__(self, cast: PlatformCast, month: Month, seed: int) -> None:
        self.cast, self.month, self.seed = cast, month, seed
        self.rng = random.Random(f"demo-lake-orders-{seed}-{cast.number}")
        self.orders: list[Order] = []
        self.fresh = 900_000  # numbers of buyers that appear only in a planted case

    def rows(self) -> tuple[list[Row], list[Row]]:
        self.orders.sort(key=lambda order: (order.at, order.shop, order.buyer.buyer_id))
        orders, shipments = [], []
        for serial, order in enumerate(self.orders, start=1):
            order_id = f"DD{self.cast.number}{serial:07d}"
            carrier = CARRIERS[serial % len(CARRIERS)]
            waybill = f"{carrier}{self.cast.number}{serial:08d}"
            orders.append(_order_row(order, order_id, waybill))
            shipments.append(self._shipment(order, order_id, carrier, waybill))
        return orders, [row for row in shipments if row is not None]

    def ordinary(self) -> None:
        shops = list(self.cast.shops)
        weights = [1 / (rank + 1) ** 0.7 for rank in range(len(shops))]
        self.rng.shuffle(weights)
        for index, shop in enumerate(shops):  # new shops that buy reviews to get started
            if shop in self.cast.review_ring:
                weights[index] = min(weights)
        buyers = ORDERS_PER_PLATFORM // 2
        pairs: Counter[tuple[str, int]] = Counter()
        for _ in range(ORDERS_PER_PLATFORM):
            shop = self.rng.choices(shops, weights)[0]
            number = self.rng.randrange(1, buyers + 1)
            while pairs[(shop, number)] >= MAX_PAIR_ORDERS:
                number = self.rng.randrange(1, buyers + 1)
            pairs[(shop, number)] += 1
            at = self._moment()
            if not self._near_episode(shop, at):
                item = self.rng.choice(items(self.seed, shop))
                self.orders.append(Order(shop, _buyer(number), at, item))

    def _moment(self) -> datetime:
        day = self.rng.randrange(self.month.days)
        hour = self.rng.choices(range(24), DIURNAL)[0]
        return self.month.at(day, hour + self.rng.random())

    def _near_episode(self, shop: str, at: datetime) -> bool:
        episodes = (
            (self.cast.brushing, BRUSHING_DAY, BRUSHING_HOUR),
            (self.cast.evasive, EVASIVE_DAY, EVASIVE_HOUR),
        )
        return any(
            shop == planted and abs(at - self.month.at(day, hour)) < QUIET_MARGIN
            for planted, day, hour in episodes
        )

    def planted(self) -> None:
        if self.cast.brushing:
            ring = [self._fresh(payment=RING_PAYMENT, device=RING_DEVICE) for _ in range(3)]
            start = self.month.at(BRUSHING_DAY, BRUSHING_HOUR)
            self._in_turn(self.cast.brushing, ring, start, 15, timedelta(seconds=160))
        if self.cast.evasive:
            shared = address_hash(f"evasive-{self.cast.number}")  # an evading ring: one address
            ring = [self._fresh(address=shared) for _ in range(3)]
            start = self.month.at(EVASIVE_DAY, EVASIVE_HOUR)
            self._in_turn(self.cast.evasive, ring, start, 12, timedelta(minutes=8))
        if self.cast.empty_parcels:
            shop = self.cast.empty_parcels
            for hour in range(10, 16):
                at = self.month.at(EMPTY_DAY, hour + self.rng.random())
                item = items(self.seed, shop)[0]
                self.orders.append(Order(shop, self._fresh(), at, item, parcel="empty"))

    def _fresh(self, **shared: str) -> Buyer:
        self.fresh += 1
        return _buyer(self.fresh, **shared)

    def _in_turn(
        self, shop: str, buyers: list[Buyer], start: datetime, count: int, step: timedelta
    ) -> None:
        """`count` orders of the shop's cheapest item, one every `step`, buyers taking turns."""
        cheapest = min(items(self.seed, shop), key=lambda item: item[1])
        for n in range(count):
            self.orders.append(Order(shop, buyers[n % len(buyers)], start + n * step, cheapest))

    def _shipment(self, order: Order, order_id: str, carrier: str, waybill: str) -> Row | None:
        """The parcel of an order; None if it was not picked up before the month ended."""
        rng, empty = self.rng, order.parcel == "empty"
        picked = order.at + timedelta(hours=rng.uniform(1, 8 if empty else 30))
        if picked >= self.month.end:
            return None
        item_g = rng.randrange(400, 900) if empty else rng.randrange(60, 3000)
        if empty:  # light, signed within hours, nothing scanned between pick-up and signature
            declared, transit, scans = rng.randrange(15, 40), rng.uniform(2, 6), 2
        else:
            declared, transit, scans = _honest_parcel(rng, item_g)
        arrives = picked + timedelta(hours=transit)
        signed = arrives if arrives < self.month.end else None
        if signed is None:  # still on its way: neither delivered nor signed yet
            scans = max(1, scans - 2)
        return {
            "waybill_no": waybill, "carrier_id": carrier, "order_id": order_id,
            "shop_id": order.shop, "declared_weight_g": declared,
            "item_weight_g": item_g if empty or rng.random() < 0.8 else None,
            "picked_up_at": iso(picked), "signed_at": iso(signed) if signed else None,
            "scans": scans, "scan_kinds": _route(scans, signed is not None),
        }  # fmt: skip


def _honest_parcel(rng: random.Random, item_g: int) -> tuple[int, float, int]:
    """(declared weight, transit hours, scans) of an honest parcel: at most one near-miss."""
    declared = int(item_g * rng.uniform(1.05, 1.4)) + 30
    draw = rng.random()
    if draw < 0.03:  # same city: signed fast, but weighed and scanned on the way
        return declared, rng.uniform(3, 11), 3
    if draw < 0.05:  # a parcel locker: only pick-up and signature scanned
        return declared, rng.uniform(14, 96), 2
    if draw < 0.06:  # weight misdeclared by the shop
        return max(1, item_g // 20), rng.uniform(14, 96), rng.randrange(4, 8)
    return declared, rng.uniform(14, 96), rng.randrange(4, 8)


def _route(scans: int, signed: bool) -> str:
    """Pick-up, transit scans, then delivery and signature for a signed parcel."""
    if not signed:
        return ",".join(["揽收", *["运输"] * (scans - 1)])
    if scans <= 2:
        return "揽收,签收"
    return ",".join(["揽收", *["运输"] * (scans - 3), "派送", "签收"])


def _order_row(order: Order, order_id: str, waybill: str) -> Row:
    item_id, cents = order.item
    return {
        "order_id": order_id, "shop_id": order.shop, "buyer_id": order.buyer.buyer_id,
        "order_time": iso(order.at), "amount": money(cents), "item_id": item_id,
        "payment_account": order.buyer.payment, "device_id": order.buyer.device,
        "address_hash": order.buyer.address, "waybill_no": waybill,
    }  # fmt: skip
