"""Writes orders into a lake directory in the contract's layout, for detector tests."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from bench.brushing_cases import T0

ORDER_SCHEMA = pa.schema(
    [
        ("order_id", pa.string()),
        ("shop_id", pa.string()),
        ("buyer_id", pa.string()),
        ("order_time", pa.timestamp("us", tz="UTC")),
        ("amount", pa.decimal128(18, 2)),
        ("item_id", pa.string()),
        ("payment_account", pa.string()),
        ("device_id", pa.string()),
        ("address_hash", pa.string()),
        ("waybill_no", pa.string()),
    ]
)


@dataclass(frozen=True)
class Order:
    order_id: str
    shop_id: str
    buyer_id: str
    order_time: datetime
    platform: int = 1
    payment_account: str | None = None
    device_id: str | None = None
    address_hash: str | None = None


def write_orders(root: Path, orders: list[Order]) -> None:
    """One Parquet file per platform and day, as a batch upload would leave them."""
    parts: dict[tuple[int, str], list[Order]] = defaultdict(list)
    for order in orders:
        parts[(order.platform, order.order_time.date().isoformat())].append(order)
    for (platform, day), rows in parts.items():
        folder = root / "orders" / f"platform={platform}" / f"day={day}"
        folder.mkdir(parents=True, exist_ok=True)
        columns = {
            "order_id": [row.order_id for row in rows],
            "shop_id": [row.shop_id for row in rows],
            "buyer_id": [row.buyer_id for row in rows],
            "order_time": [row.order_time for row in rows],
            "amount": [Decimal("9.90")] * len(rows),
            "item_id": [None] * len(rows),
            "payment_account": [row.payment_account for row in rows],
            "device_id": [row.device_id for row in rows],
            "address_hash": [row.address_hash for row in rows],
            "waybill_no": [None] * len(rows),
        }
        pq.write_table(pa.table(columns, schema=ORDER_SCHEMA), folder / "part-test.parquet")


def random_lake(seed: int, jitter_us: int = 0) -> list[Order]:
    """Dense shops on a 5-minute clock over two days: hot buckets overlap, windows cross bucket
    edges and midnight, and honest neighbours sit just inside or outside an hour. A jitter moves
    each order by up to that many microseconds, so orders straddle bucket edges within a second."""
    rng = np.random.default_rng(seed)
    size = 2500
    shops = rng.integers(0, 40, size)
    buyers = np.where(rng.random(size) < 0.5, rng.integers(0, 6, size), rng.integers(6, 400, size))
    steps = rng.integers(0, 2 * 288, size)
    shifts = rng.integers(-jitter_us, jitter_us + 1, size)
    return [
        Order(
            f"o{row}",
            f"S{shop}",
            f"B{buyer}",
            T0 + timedelta(minutes=5 * int(step), microseconds=int(shift)),
            platform=1 + int(shop) % 2,
        )
        for row, (shop, buyer, step, shift) in enumerate(
            zip(shops, buyers, steps, shifts, strict=True)
        )
    ]


def _burst(shop: str, buyer: str, minute: int, **attributes: str) -> list[Order]:
    return [
        Order(
            f"{shop}-{buyer}-{minute}-{n}",
            shop,
            buyer,
            T0 + timedelta(minutes=minute + n),
            **attributes,
        )  # type: ignore[arg-type]
        for n in range(3)
    ]


def ring_lake() -> list[Order]:
    """X and Y brush S1 and S2 from one device; Y pays with Z's account, and Z brushes S3; W
    brushes alone; V shares X's device but never brushes; U buys honestly with X's address."""
    return [
        *_burst("S1", "X", 0, device_id="dev-1", payment_account="pay-x"),
        *_burst("S2", "Y", 100, device_id="dev-1", payment_account="pay-y"),
        Order("y-elsewhere", "S7", "Y", T0 + timedelta(days=2), payment_account="pay-z"),
        *_burst("S3", "Z", 300, payment_account="pay-z", address_hash="addr-z"),
        *_burst("S4", "W", 0, device_id="dev-w"),
        Order("v-1", "S1", "V", T0 + timedelta(days=1), device_id="dev-1"),
        Order("u-1", "S5", "U", T0 + timedelta(days=1), address_hash="addr-x"),
        Order("x-home", "S6", "X", T0 + timedelta(days=3), address_hash="addr-x"),
    ]
