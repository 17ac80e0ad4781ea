"""Writes orders into a lake directory in the contract's layout, for detector tests."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

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
